using ConstCl.Embedding;
using ConstCl.Runtime;
using ConstCl.Training;
using ConstCl.Video;

namespace ConstCl.Core.Tests.Training;

/// <summary>
/// Pre-training, resume and embedding through the device plumbing (<see cref="PretrainingOptions.Device"/>,
/// <see cref="VideoEncoder.Load"/>'s device): on <c>cpu</c> here, and also on the device named by the environment variable
/// <c>CONSTCL_TEST_DEVICE</c> (for example <c>cuda</c>) on a machine with a CUDA build.
/// </summary>
public class DevicePlumbingTests
{
    public static TheoryData<string> Devices()
    {
        var devices = new TheoryData<string> { "cpu" };
        if (Environment.GetEnvironmentVariable("CONSTCL_TEST_DEVICE") is { Length: > 0 } extra && ComputeDevice.Parse(extra) != ComputeDevice.Cpu)
        {
            devices.Add(extra);
        }

        return devices;
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void PretrainsResumesAndEmbedsOnTheDevice(string name)
    {
        var device = ComputeDevice.Parse(name);
        var options = PretrainerTests.Options(4) with { Device = device, CheckpointEvery = 2 };
        var dir = TrainingTestModels.TempDirectory();

        // Stopped after two steps, then resumed: the checkpoint (CPU tensors on disk) goes back onto the device.
        using (var cts = new CancellationTokenSource())
        using (var source = new FakeBatchSource(options.Model, options.BatchSize, seed: 3) { BeforeNext = i => { if (i == 2) { cts.Cancel(); } } })
        {
            Assert.True(new Pretrainer(options).Run(source, dir, cancellationToken: cts.Token).Cancelled);
        }

        PretrainingResult result;
        using (var source = new FakeBatchSource(options.Model, options.BatchSize, seed: 3))
        {
            result = new Pretrainer(options) { Resume = true }.Run(source, dir);
        }

        Assert.Equal(2, result.ResumedFromStep);
        Assert.Equal(4, result.Step);
        Assert.True(double.IsFinite(result.LastProgress!.TotalLoss));
        Assert.Contains($"\"Device\": \"{device}\"", File.ReadAllText(Path.Combine(dir, Pretrainer.OptionsFileName)));

        using var onDevice = VideoEncoder.Load(result.EncoderPath!, device: device);
        using var onCpu = VideoEncoder.Load(result.EncoderPath!);
        Assert.Equal(device, onDevice.Device);
        Assert.Equal(ComputeDevice.Cpu, onCpu.Device);
        Assert.Equal(onCpu.Hash, onDevice.Hash);   // the same weights, wherever they live

        var spec = new EvaluationClipSpec { ClipCount = 2, CropCount = 1, FramesPerClip = 4, FrameStride = 1, Size = 32 };
        var video = RandomVideo(frames: 8, size: 32, seed: 5);
        var embedding = new VideoEmbedder(onDevice, new EmbeddingOptions { Clips = spec, PrefetchVideos = 0 }).Embed(video);
        var reference = new VideoEmbedder(onCpu, new EmbeddingOptions { Clips = spec, PrefetchVideos = 0 }).Embed(video);
        Assert.Equal(onDevice.EmbeddingDimension, embedding.Length);
        Assert.Equal(1.0, Math.Sqrt(embedding.Sum(x => (double)x * x)), 4);
        for (int d = 0; d < embedding.Length; d++)
        {
            Assert.Equal(reference[d], embedding[d], 3e-4f);   // bitwise on the CPU; GPU kernels round differently
        }
    }

    private static FrameSequence RandomVideo(int frames, int size, int seed)
    {
        var random = new Random(seed);
        var list = new List<byte[]>();
        for (int f = 0; f < frames; f++)
        {
            var frame = new byte[size * size * 3];
            random.NextBytes(frame);
            list.Add(frame);
        }

        return new FrameSequence(list, size, size);
    }
}
