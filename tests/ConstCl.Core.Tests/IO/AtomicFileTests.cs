using ConstCl.IO;

namespace ConstCl.Core.Tests.IO;

/// <summary>The one temp-then-rename writer every ConstCl file goes through.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("constcl-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AWriterThatFailsLeavesTheOldContentAndNoTemporaryFile()
    {
        string path = Path.Combine(_dir, "sub", "x.json");
        AtomicFile.WriteAllText(path, "old");
        var ex = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of the new"u8);
            throw new InvalidOperationException("the writer failed");
        }, durable: true));
        Assert.Equal("the writer failed", ex.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(Path.Combine(_dir, "sub")));
    }

    [Fact]
    public void TextAndLinesAreUtf8WithoutAByteOrderMark()
    {
        string path = Path.Combine(_dir, "lines.txt");
        AtomicFile.WriteAllLines(path, ["é", "b"]);
        Assert.Equal([0xC3, 0xA9, (byte)'\n', (byte)'b', (byte)'\n'], File.ReadAllBytes(path));
    }

    [Fact]
    public void APathWriterGetsATemporaryFileWithTheTargetsExtension()
    {
        string path = Path.Combine(_dir, "picture.png");
        string? seen = null;
        AtomicFile.WriteThroughPath(path, temp =>
        {
            seen = temp;
            File.WriteAllText(temp, "png bytes");
        });
        Assert.Equal(".png", Path.GetExtension(seen));
        Assert.Equal(_dir, Path.GetDirectoryName(seen));
        Assert.Equal("png bytes", File.ReadAllText(path));
        Assert.False(File.Exists(seen));
    }
}
