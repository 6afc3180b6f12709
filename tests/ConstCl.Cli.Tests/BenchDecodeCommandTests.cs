using System.CommandLine;
using System.Text.Json;
using ConstCl.Cli.Commands.Bench;

namespace ConstCl.Cli.Tests;

[Trait("Category", "Slow")]   // bench: timed runs
public sealed class BenchDecodeCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "constcl-bench-" + Guid.NewGuid().ToString("N")[..12]);

    public BenchDecodeCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Bench_decode_counts_every_frame_and_writes_json()
    {
        var video = Path.Combine(_dir, "v.avi");
        ScanCommandTests.WriteVideo(video, "MJPG", 30);
        var json = Path.Combine(_dir, "out", "bench.json");
        var output = new StringWriter();
        int code = Program.BuildRootCommand()
            .Parse(["bench", "decode", "--video", video, "--short-side", "24", "--repeats", "1", "--no-ffmpeg", "--json-out", json])
            .Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() });

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var r = doc.RootElement;
        Assert.Equal(30, r.GetProperty("frames").GetInt32());
        Assert.Equal(32, r.GetProperty("width").GetInt32()); // 64×48 at short side 24
        Assert.Equal(24, r.GetProperty("height").GetInt32());
        Assert.True(r.GetProperty("framesPerSecond").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("ffmpegFramesPerSecond").ValueKind);
        Assert.Contains("30 frames 32x24", output.ToString());

        // Both back-ends are measured; the default (the system FFmpeg, installed here and by .ci/run) comes first.
        var decoders = r.GetProperty("decoders").EnumerateArray().ToList();
        Assert.Equal(["ffmpeg", "opencv"], decoders.Select(d => d.GetProperty("decoder").GetString()));
        Assert.Equal("ffmpeg", r.GetProperty("decoder").GetString());
        Assert.All(decoders, d => Assert.True(d.GetProperty("framesPerSecond").GetDouble() > 0));
        Assert.True(decoders[0].GetProperty("ratioToOpenCv").GetDouble() > 0);
        Assert.StartsWith("libavformat 59.", r.GetProperty("ffmpegLibraries").GetString());
    }

    [Fact]
    public void Bench_decode_json_prints_the_document_on_standard_output_and_the_text_on_standard_error()
    {
        var video = Path.Combine(_dir, "v.avi");
        ScanCommandTests.WriteVideo(video, "MJPG", 10);
        var file = Path.Combine(_dir, "both.json");
        var (code, stdout, stderr) = CliRun.Invoke("bench", "decode", "--video", video, "--repeats", "1", "--no-ffmpeg", "--decoder", "opencv", "--json", "--json-out", file);

        Assert.Equal(ExitCodes.Success, code);
        using var printed = JsonDocument.Parse(stdout);   // standard output is the JSON document alone
        Assert.Equal(10, printed.RootElement.GetProperty("frames").GetInt32());
        Assert.Equal(File.ReadAllText(file).Trim(), stdout.Trim());   // the same document --json-out writes
        Assert.Contains("10 frames", stderr);                           // the text report moved to standard error
    }

    [Theory]
    [InlineData("opencv")]
    [InlineData("ffmpeg")]
    public void Bench_decode_measures_only_the_decoder_named_and_restores_the_environment(string decoder)
    {
        var video = Path.Combine(_dir, "v.avi");
        ScanCommandTests.WriteVideo(video, "MJPG", 10);
        var json = Path.Combine(_dir, "one.json");
        string? before = Environment.GetEnvironmentVariable("CONSTCL_DECODER");
        int code = Program.BuildRootCommand()
            .Parse(["bench", "decode", "--video", video, "--repeats", "1", "--no-ffmpeg", "--decoder", decoder, "--json-out", json])
            .Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = new StringWriter() });

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal([decoder], doc.RootElement.GetProperty("decoders").EnumerateArray().Select(d => d.GetProperty("decoder").GetString()));
        Assert.Equal(decoder, doc.RootElement.GetProperty("decoder").GetString());
        Assert.Equal(before, Environment.GetEnvironmentVariable("CONSTCL_DECODER"));
    }

    [Fact]
    public void An_unknown_decoder_is_a_usage_error()
    {
        var error = new StringWriter();
        int code = Program.Run(["bench", "decode", "--video", "x.avi", "--decoder", "gstreamer"], new InvocationConfiguration { Output = new StringWriter(), Error = error });
        Assert.Equal(2, code);
        Assert.Contains("--decoder expects auto, opencv or ffmpeg", error.ToString());
    }

    [Fact]
    public void Bench_decode_of_a_missing_file_fails_with_its_path()
    {
        var error = new StringWriter();
        var missing = Path.Combine(_dir, "none.avi");
        int code = Program.BuildRootCommand().Parse(["bench", "decode", "--video", missing, "--no-ffmpeg"])
            .Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        Assert.Equal(1, code);
        Assert.Contains(missing, error.ToString());
    }

    [Fact]
    public void Ffmpeg_reference_decodes_on_one_thread_keeping_every_frame()
    {
        var args = FfmpegDecodeTimer.Arguments("in.avi", 32, 24, resize: true);
        string line = string.Join(' ', args);
        Assert.Contains("-threads 1 -i in.avi", line);
        Assert.Contains("-fps_mode passthrough", line);
        Assert.Contains("-pix_fmt rgb24", line);
        Assert.Contains("scale=32:24:flags=area", line);
        Assert.DoesNotContain("scale=", string.Join(' ', FfmpegDecodeTimer.Arguments("in.avi", 64, 48, resize: false)));
    }

    [Fact]
    public void Bench_decode_stages_are_written_in_order_with_one_opencv_thread()
    {
        var video = Path.Combine(_dir, "v.avi");
        ScanCommandTests.WriteVideo(video, "MJPG", 30);
        var json = Path.Combine(_dir, "stages.json");
        var output = new StringWriter();
        int code = Program.BuildRootCommand()
            .Parse(["bench", "decode", "--video", video, "--short-side", "24", "--linear", "--repeats", "1", "--no-ffmpeg", "--stages", "--json-out", json])
            .Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() });

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var r = doc.RootElement;
        Assert.Equal("Linear", r.GetProperty("resizeMode").GetString());
        Assert.Equal(1, r.GetProperty("openCvThreads").GetInt32());
        var stages = r.GetProperty("stages").EnumerateArray().ToList();
        Assert.Equal(["grab", "retrieve", "resize", "rgb"], stages.Select(s => s.GetProperty("name").GetString()));
        Assert.All(stages, s => Assert.Equal(30, s.GetProperty("frames").GetInt32()));
        Assert.Contains("rgb", output.ToString());
    }

    [Fact]
    public void Ratios_are_medians_of_paired_passes()
    {
        // Peer (ffmpeg) passes of 2, 4, 6 s against in-process passes of 1, 1, 3 s: per-pass speed ratios 2, 4, 2.
        var peer = new List<(double Wall, double Cpu)> { (2, 1), (4, 2), (6, 3) };
        var ours = new List<(double Wall, double Cpu)> { (1, 2), (1, 2), (3, 2) };
        var (seconds, cpu, fps, ratio, cpuRatio) = BenchDecodeCommand.Peer(peer, ours, frames: 100);
        Assert.Equal(4, seconds);
        Assert.Equal(2, cpu);
        Assert.Equal(25, fps);
        Assert.Equal(2, ratio);
        Assert.Equal(1, cpuRatio); // CPU ratios 0.5, 1, 1.5
        Assert.Equal((null, null, null, null, null), BenchDecodeCommand.Peer([], ours, 100));
    }

    [Fact]
    public void Ffmpeg_reference_resizes_like_the_reader()
    {
        Assert.Contains("scale=32:24:flags=bilinear", string.Join(' ', FfmpegDecodeTimer.Arguments("in.avi", 32, 24, resize: true, area: false)));
    }
}
