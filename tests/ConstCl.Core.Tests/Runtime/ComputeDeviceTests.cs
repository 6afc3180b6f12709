using ConstCl.Checkpoints;
using ConstCl.Runtime;
using ConstCl.Training;
using TorchSharp;

namespace ConstCl.Core.Tests.Runtime;

/// <summary>The device type: its spellings, its JSON form in options files, and the one place that meets the back-end.</summary>
public class ComputeDeviceTests
{
    [Theory]
    [InlineData("cpu", "cpu", null)]
    [InlineData("CPU ", "cpu", null)]
    [InlineData("cuda", "cuda:0", 0)]
    [InlineData("cuda:0", "cuda:0", 0)]
    [InlineData(" Cuda:3", "cuda:3", 3)]
    public void ParsesEveryAcceptedSpellingAndPrintsTheCanonicalOne(string text, string canonical, int? index)
    {
        var device = ComputeDevice.Parse(text);
        Assert.Equal(canonical, device.ToString());
        Assert.Equal(index, device.CudaIndex);
        Assert.Equal(index is not null, device.IsCuda);
        Assert.Equal(device, ComputeDevice.Parse(device.ToString()));   // round trip
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:+1")]
    [InlineData("cuda:x")]
    [InlineData("cuda0")]
    [InlineData("cuda:1:2")]
    [InlineData("mps")]
    public void RefusesAnythingElseNamingTheAcceptedForms(string text)
    {
        Assert.False(ComputeDevice.TryParse(text, out var device));
        Assert.Equal(ComputeDevice.Cpu, device);
        var ex = Assert.Throws<FormatException>(() => ComputeDevice.Parse(text));
        Assert.Contains($"'{text}'", ex.Message);
        Assert.Contains("cpu, cuda or cuda:N", ex.Message);
    }

    [Fact]
    public void DefaultIsTheCpuAndEqualityIsByValue()
    {
        Assert.Equal(ComputeDevice.Cpu, default);
        Assert.True(ComputeDevice.Cuda(2) == ComputeDevice.Parse("cuda:2"));
        Assert.True(ComputeDevice.Cuda() != ComputeDevice.Cuda(1));
        Assert.NotEqual(ComputeDevice.Cpu, ComputeDevice.Cuda());
        Assert.Throws<ArgumentOutOfRangeException>(() => ComputeDevice.Cuda(-1));
        Assert.False(ComputeDevice.TryParse(null, out _));
    }

    [Fact]
    public void OptionsWriteTheDeviceAsTheSameStringsAsBeforeAndOldFilesLoad()
    {
        var gpu = PretrainingOptions.TinyOfficial with { Device = ComputeDevice.Cuda(1) };
        Assert.Contains("\"Device\": \"cuda:1\"", gpu.ToJson());
        Assert.Equal(gpu, PretrainingOptions.FromJson(gpu.ToJson()));
        Assert.Contains("\"Device\": \"cpu\"", PretrainingOptions.TinyOfficial.ToJson());

        // options.json written while the device was a string: "cpu" (every file so far) and the "cuda" spelling.
        var old = PretrainingOptions.TinyOfficial.ToJson();
        Assert.Equal(PretrainingOptions.TinyOfficial, PretrainingOptions.FromJson(old));
        Assert.Equal(ComputeDevice.Cuda(0), PretrainingOptions.FromJson(old.Replace("\"Device\": \"cpu\"", "\"Device\": \"cuda\"")).Device);

        var ex = Assert.Throws<ArgumentException>(() => PretrainingOptions.FromJson(old.Replace("\"Device\": \"cpu\"", "\"Device\": \"tpu\"")));
        Assert.Contains("'tpu' is not a compute device", ex.Message);
        Assert.Contains("Device", ex.Message);
        Assert.Throws<ArgumentException>(() => PretrainingOptions.FromJson(old.Replace("\"Device\": \"cpu\"", "\"Device\": 0")));
    }

    [Fact]
    public void ARunMayResumeOnAnotherDevice()
    {
        // Like the thread count, the device does not change what the run computes, only where.
        var cpu = PretrainingOptions.TinyOfficial;
        var gpu = PretrainingOptions.TinyOfficial with { Device = ComputeDevice.Cuda(0) };
        Assert.Empty(OptionsDiff.Compare(cpu.ToJson(), gpu.ToJson(), PretrainingOptions.OperationalFields));
        Assert.Single(OptionsDiff.Compare(cpu.ToJson(), gpu.ToJson()));
    }

    [Fact]
    public void TheCpuResolvesToTheLibTorchCpuDevice()
    {
        Assert.Equal(DeviceType.CPU, TorchRuntime.Resolve(ComputeDevice.Cpu).type);
        Assert.Equal(DeviceType.CPU, TorchRuntime.Resolve(default).type);
    }

    [Fact]
    public void CudaOnABackEndWithoutItNamesThePackagesToReference()
    {
        TorchRuntime.EnsureLoaded();
        if (torch.cuda.is_available())
        {
            // A CUDA build on a GPU machine: the same call gives the GPU.
            Assert.Equal(DeviceType.CUDA, TorchRuntime.Resolve(ComputeDevice.Cuda()).type);
            return;
        }

        var ex = Assert.Throws<InvalidOperationException>(() => TorchRuntime.Resolve(ComputeDevice.Parse("cuda")));
        Assert.Contains("cuda:0", ex.Message);
        Assert.Contains("TorchSharp-cuda-linux", ex.Message);
        Assert.Contains("TorchSharp-cuda-windows", ex.Message);
        Assert.Contains("version 0.107.0", ex.Message);
        Assert.Contains("libtorch-cpu-linux-x64", ex.Message);
        Assert.Contains("CUDA 12.8", ex.Message);
    }
}
