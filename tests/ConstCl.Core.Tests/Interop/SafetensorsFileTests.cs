using System.Buffers.Binary;
using System.Text;
using ConstCl.Checkpoints;
using ConstCl.Interop;
using ConstCl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Interop;

/// <summary>The safetensors codec: the layout the format specifies, and a clean error for every way a file can lie.</summary>
public sealed class SafetensorsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("constcl-safetensors-").FullName;

    public SafetensorsFileTests() => TorchRuntime.Initialize(2);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheWrittenLayoutIsTheFormatsAndRoundTripsBitwise()
    {
        using var a = torch.arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var b = torch.tensor(new long[] { 7 });
        var path = Path.Combine(_dir, "x.safetensors");
        SafetensorsFile.Write(path, [KeyValuePair.Create("a", a), KeyValuePair.Create("b", b)], new Dictionary<string, string> { ["k"] = "v" });

        var bytes = File.ReadAllBytes(path);
        var n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + n) % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, n).TrimEnd(' ');
        Assert.Equal("""{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"b":{"dtype":"I64","shape":[1],"data_offsets":[24,32]}}""", header);
        Assert.Equal(8 + n + 32, bytes.Length);
        Assert.Equal(5f, BitConverter.ToSingle(bytes, 8 + n + 20));
        Assert.Equal(7L, BitConverter.ToInt64(bytes, 8 + n + 24));

        using var back = SafetensorsFile.Read(path);
        Assert.Equal("v", back.Metadata["k"]);
        Assert.True(back.Tensors["a"].eq(a).all().item<bool>());
        Assert.True(back.Tensors["b"].eq(b).all().item<bool>());
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F99","shape":[1],"data_offsets":[0,4]}}""", 4, "tensor 'w': dtype 'F99' is not one of")]
    [InlineData("""{"w":{"dtype":"F32","shape":[-1,4],"data_offsets":[0,4]}}""", 4, "tensor 'w': dimension 0 is -1")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1048576,1048576,1024],"data_offsets":[0,4]}}""", 4, "needs more bytes than the file's 4 data bytes")]
    [InlineData("""{"w":{"dtype":"F32","shape":[9223372036854775807,9223372036854775807],"data_offsets":[0,4]}}""", 4, "needs more bytes than the file's 4 data bytes")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""", 8, "F32[2] needs 8 bytes; data_offsets give 4")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,400]}}""", 4, "data_offsets [0,400] are not [begin, end] within the 4 data bytes")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", 4, "are not [begin, end]")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":["0",4]}}""", 4, "are not [begin, end]")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,1],"data_offsets":[0,4]}}""", 4, "9 dimensions (at most 8)")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"v":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4, "previous tensor ends at 4")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8, "the tensors cover 4 bytes; the file holds 8")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4, "'w' appears twice")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1]}}""", 4, "expected an object with a string 'dtype'")]
    [InlineData("""{"__metadata__":{"k":5}}""", 0, "metadata 'k' is not a string")]
    [InlineData("""[1,2]""", 0, "not a JSON object")]
    [InlineData("""{"w":""", 0, "not valid UTF-8 JSON")]
    public void AFileThatLiesGetsACorruptFileErrorNamingWhatIsWrong(string header, int dataBytes, string expected)
    {
        var path = Path.Combine(_dir, "bad.safetensors");
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<CorruptFileException>(() => SafetensorsFile.Read(path).Dispose());
        Assert.Contains(expected, ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Theory]
    [InlineData(0ul, 10, "the header declares 0 bytes")]
    [InlineData(ulong.MaxValue, 10, "the header declares 18446744073709551615 bytes; the file has 2")]
    [InlineData(4ul, 3, "too short")]
    public void AnImpossibleHeaderSizeIsRefusedBeforeReading(ulong declared, int fileBytes, string expected)
    {
        var path = Path.Combine(_dir, "size.safetensors");
        var bytes = new byte[fileBytes];
        if (fileBytes >= 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, declared);
        }

        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<CorruptFileException>(() => SafetensorsFile.Read(path).Dispose());
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void RandomBytesNeverCrashTheReader()
    {
        // A seeded fuzz over a valid file: every mutation either still reads or throws CorruptFileException.
        using var a = torch.ones(3, 4);
        var path = Path.Combine(_dir, "fuzz.safetensors");
        SafetensorsFile.Write(path, [KeyValuePair.Create("weight", a)]);
        var original = File.ReadAllBytes(path);
        var random = new Random(11);
        for (var i = 0; i < 300; i++)
        {
            var bytes = (byte[])original.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            File.WriteAllBytes(path, bytes);
            try
            {
                SafetensorsFile.Read(path).Dispose();
            }
            catch (CorruptFileException)
            {
            }
        }
    }
}
