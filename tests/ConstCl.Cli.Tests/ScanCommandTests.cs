using System.CommandLine;
using System.Text.Json;
using ConstCl.Cli.Commands;
using OpenCvSharp;

namespace ConstCl.Cli.Tests;

public sealed class ScanCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "constcl-scan-" + Guid.NewGuid().ToString("N")[..12]);

    public ScanCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    internal static void WriteVideo(string path, string fourcc, int frames)
    {
        using var writer = new VideoWriter(path, VideoCaptureAPIs.FFMPEG, FourCC.FromString(fourcc), 25, new OpenCvSharp.Size(64, 48), true);
        Assert.True(writer.IsOpened());
        for (int i = 0; i < frames; i++)
        {
            using var m = new Mat(48, 64, MatType.CV_8UC3, new Scalar(i * 10, 100, 200));
            writer.Write(m);
        }
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRun.Invoke(args);

    [Fact]
    public void Json_scan_of_folders_files_and_manifests_reports_every_video()
    {
        var videos = Directory.CreateDirectory(Path.Combine(_dir, "videos")).FullName;
        WriteVideo(Path.Combine(videos, "a.avi"), "MJPG", 20);
        var sub = Directory.CreateDirectory(Path.Combine(videos, "sub")).FullName;
        WriteVideo(Path.Combine(sub, "b.mp4"), "mp4v", 12);
        File.WriteAllBytes(Path.Combine(sub, "zero.avi"), []);
        File.WriteAllText(Path.Combine(sub, "readme.txt"), "not a video, not listed");
        var frames = Directory.CreateDirectory(Path.Combine(videos, "frames")).FullName;
        for (int i = 0; i < 3; i++)
        {
            using var m = new Mat(48, 64, MatType.CV_8UC3, new Scalar(i, i, i));
            Cv2.ImWrite(Path.Combine(frames, $"{i}.png"), m);
        }

        var noise = Path.Combine(_dir, "noise.avi");
        File.WriteAllBytes(noise, Enumerable.Range(0, 500).Select(i => (byte)(i * 37 + 11)).ToArray());
        var manifest = Path.Combine(_dir, "list.csv");
        File.WriteAllText(manifest, "path,label\nvideos/a.avi,walk\n\"videos/missing.avi\",run\n");

        var (code, stdout, stderr) = Run("scan", "--json", videos, noise, manifest);

        Assert.Equal(0, code); // failures do not change the exit code
        using var doc = JsonDocument.Parse(stdout); // stdout is exactly one JSON array
        var rows = doc.RootElement.EnumerateArray().GroupBy(e => e.GetProperty("path").GetString()!).ToDictionary(g => g.Key, g => g.First());
        Assert.Equal(7, doc.RootElement.GetArrayLength()); // folder: a, frames/, sub/b, sub/zero; noise; manifest: a, missing
        Assert.Equal(6, rows.Count); // a.avi is listed twice (folder and manifest) under the same full path

        var a = rows[Path.Combine(videos, "a.avi")];
        Assert.Equal("ok", a.GetProperty("status").GetString());
        Assert.Equal(20, a.GetProperty("frames").GetInt32());
        Assert.Equal(64, a.GetProperty("width").GetInt32());
        Assert.Equal(48, a.GetProperty("height").GetInt32());
        Assert.Equal(25, a.GetProperty("fps").GetDouble(), 6);
        Assert.Equal(0.8, a.GetProperty("durationSeconds").GetDouble(), 3);
        Assert.Equal(JsonValueKind.Null, a.GetProperty("error").ValueKind);

        Assert.Equal(12, rows[Path.Combine(sub, "b.mp4")].GetProperty("frames").GetInt32());
        Assert.Equal(3, rows[frames].GetProperty("frames").GetInt32());

        void Failed(string path, string kind)
        {
            var row = rows[path];
            Assert.Equal("failed", row.GetProperty("status").GetString());
            Assert.Equal(kind, row.GetProperty("errorKind").GetString());
            Assert.Contains(path, row.GetProperty("error").GetString());
            Assert.Equal(JsonValueKind.Null, row.GetProperty("frames").ValueKind);
        }

        Failed(Path.Combine(sub, "zero.avi"), "Empty");
        Failed(noise, "NotAVideo");
        Failed(Path.Combine(_dir, "videos", "missing.avi"), "Missing");
        Assert.DoesNotContain("readme", stdout);
        Assert.Equal(string.Empty, stderr);
    }

    [Fact]
    public void Text_scan_prints_one_line_per_video_and_a_summary()
    {
        var path = Path.Combine(_dir, "c.avi");
        WriteVideo(path, "XVID", 10);
        var (code, stdout, _) = Run("scan", path, Path.Combine(_dir, "gone.mp4"));
        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("ok", lines[0]);
        Assert.Contains("frames=10", lines[0]);
        Assert.StartsWith("failed", lines[1]);
        Assert.Contains("Missing", lines[1]);
        Assert.Equal("2 videos: 1 ok, 1 failed", lines[2].Trim());
    }

    [Fact]
    public void A_manifest_without_a_path_header_is_a_usage_error()
    {
        var manifest = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(manifest, "a.avi,walk\n");
        var (code, stdout, stderr) = Run("scan", "--json", manifest);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("path", stderr);
    }

    [Fact]
    public void Csv_fields_follow_rfc4180_quoting()
    {
        Assert.Equal(["a,b", "say \"hi\"", ""], ConstCl.Datasets.Csv.ParseLine("\"a,b\",\"say \"\"hi\"\"\",", "m.csv", 1));
    }
}
