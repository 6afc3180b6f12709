using System.Diagnostics;
using ConstCl.Video;
using ConstCl.Video.Ffmpeg;

namespace ConstCl.Core.Tests.Video;

/// <summary>
/// The system FFmpeg back-end against the OpenCV back-end (same frames within colour-conversion rounding, same header
/// information), its pinned ABI against what the library reports, and its native-memory hygiene over thousands of opens.
/// </summary>
public sealed class FfmpegBackendTests : IClassFixture<VideoFilesFixture>
{
    private static readonly string[] CheckedIn = ["h264.mp4", "vp9.webm", "vp8.webm", "vfr.mp4", "xvid_bframes.avi", "dx50_bframes.avi"];
    private readonly VideoFilesFixture _files;

    public FfmpegBackendTests(VideoFilesFixture files) => _files = files;

    public static TheoryData<string> AllVideos()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in VideoFilesFixture.Codecs)
        {
            data.Add(name);
        }

        foreach (var name in CheckedIn)
        {
            data.Add(name);
        }

        return data;
    }

    private string Resolve(string name)
        => VideoFilesFixture.Codecs.Any(c => c.Name == name) ? _files.PathOf(name) : Path.Combine(TestVideos.DataFolder, name);

    private static FrameSequence ReadAll(string path, VideoDecoderBackend backend, int shortSide = 0)
    {
        var options = DecoderBackends.With(backend, new VideoDecodeOptions { ShortSide = shortSide });
        using var source = VideoReader.Open(path, options);
        return source.ReadFrames(Enumerable.Range(0, source.CountFrames()).ToArray());
    }

    [Fact]
    public void The_system_ffmpeg_loads_with_its_pinned_major_versions()
    {
        Assert.True(FfmpegLibrary.IsAvailable, FfmpegLibrary.UnavailableReason);
        var lib = FfmpegLibrary.Instance;
        Assert.Equal((FfmpegAbi.AvFormatMajor, FfmpegAbi.AvCodecMajor, FfmpegAbi.AvUtilMajor, FfmpegAbi.SwScaleMajor), lib.MajorVersions());
        Assert.StartsWith("libavformat 59.", lib.Versions);
        Assert.Equal(VideoDecoderBackend.Ffmpeg, VideoDecoderSelector.Resolve(VideoDecoderBackend.Auto));
        Assert.Equal(VideoDecoderBackend.OpenCv, VideoDecoderSelector.Resolve(VideoDecoderBackend.OpenCv));
    }

    [Fact]
    public void The_pinned_struct_offsets_read_what_the_library_decodes()
    {
        // Independent facts of xvid.avi (written by OpenCV: 64×48, 25 fps, 40 frames, MPEG-4 Part 2) read through the
        // pinned offsets of AVFormatContext, AVStream, AVCodecParameters and AVFrame.
        var lib = FfmpegLibrary.Instance;
        using var decoder = FfmpegDecoder.Open(lib, _files.PathOf("xvid.avi"), 1, what => new InvalidOperationException(what));
        Assert.Equal((64, 48), (decoder.Width, decoder.Height));
        Assert.Equal(25.0, decoder.FramesPerSecond, 9);
        Assert.Equal(0.04, decoder.TimeBase, 9);
        Assert.Equal(40, decoder.HeaderFrameCount);
        Assert.Equal("mpeg4", decoder.CodecName);
        Assert.Equal("XVID", System.Text.Encoding.ASCII.GetString(BitConverter.GetBytes(decoder.CodecTag)));
        for (int i = 0; i < 40; i++)
        {
            Assert.Equal(FfmpegFrameResult.Frame, decoder.Next());
            IntPtr frame = decoder.Frame;
            Assert.Equal((64, 48), (FfmpegAbi.FrameWidthOf(frame), FfmpegAbi.FrameHeightOf(frame)));
            Assert.Equal(0, FfmpegAbi.FramePixelFormat(frame)); // AV_PIX_FMT_YUV420P
            Assert.Equal(i * 40.0, decoder.Milliseconds(frame), 6);
            Assert.NotEqual(IntPtr.Zero, FfmpegAbi.FramePlane(frame, 0));
            Assert.NotEqual(IntPtr.Zero, FfmpegAbi.FramePlane(frame, 2));
            Assert.Equal(IntPtr.Zero, FfmpegAbi.FramePlane(frame, 3)); // three planes in YUV 4:2:0
            Assert.InRange(FfmpegAbi.FrameStride(frame, 0), 64, 256);
            Assert.InRange(FfmpegAbi.FrameStride(frame, 1), 32, 256);
        }

        Assert.Equal(FfmpegFrameResult.End, decoder.Next());
    }

    [Theory]
    [MemberData(nameof(AllVideos))]
    public void Frames_equal_the_OpenCv_backends_within_colour_conversion_rounding(string name)
    {
        string path = Resolve(name);
        var a = ReadAll(path, VideoDecoderBackend.OpenCv);
        var b = ReadAll(path, VideoDecoderBackend.Ffmpeg);
        Assert.Equal(a.Count, b.Count);
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        for (int i = 0; i < a.Count; i++)
        {
            var (mean, max) = Difference(a.Frames[i], b.Frames[i]);
            Assert.True(mean <= 1.5 && max <= 24, $"{name} frame {i}: mean |Δ| {mean:0.###}, max |Δ| {max} (OpenCV vs system FFmpeg)");
        }

        // Resized (area, as the loader does when asked for a short side): OpenCV resizes both, so they agree as closely.
        var ra = ReadAll(path, VideoDecoderBackend.OpenCv, shortSide: 24);
        var rb = ReadAll(path, VideoDecoderBackend.Ffmpeg, shortSide: 24);
        Assert.Equal((ra.Width, ra.Height), (rb.Width, rb.Height));
        for (int i = 0; i < ra.Count; i++)
        {
            var (mean, max) = Difference(ra.Frames[i], rb.Frames[i]);
            Assert.True(mean <= 1.5 && max <= 24, $"{name} resized frame {i}: mean |Δ| {mean:0.###}, max |Δ| {max}");
        }
    }

    [Theory]
    [MemberData(nameof(AllVideos))]
    public void Header_information_equals_the_OpenCv_backends(string name)
    {
        string path = Resolve(name);
        var a = VideoReader.Probe(path, DecoderBackends.With(VideoDecoderBackend.OpenCv));
        var b = VideoReader.Probe(path, DecoderBackends.With(VideoDecoderBackend.Ffmpeg));
        Assert.Equal(a.Container, b.Container);
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        Assert.Equal(a.FramesPerSecond, b.FramesPerSecond, 6);
        Assert.Equal(a.HeaderFrameCount, b.HeaderFrameCount);
        Assert.Equal(a.Codec, b.Codec, ignoreCase: true);
    }

    [Fact]
    public void Thousands_of_opens_free_every_native_object()
    {
        // Open, decode a clip (seek included) and dispose a tiny video 2,000 times: open file descriptors must not
        // grow and resident memory must stay flat (a leaked AVFormatContext, codec context, frame or swscale context
        // per open would add tens of KB each, ~100 MB in all).
        string path = _files.PathOf("xvid.avi");
        var options = DecoderBackends.With(VideoDecoderBackend.Ffmpeg, new VideoDecodeOptions { SeekThreshold = 4, TimeLimit = Timeout.InfiniteTimeSpan });
        void Loop(int n)
        {
            for (int i = 0; i < n; i++)
            {
                using var source = VideoReader.Open(path, options);
                Assert.Equal([30, 2], TestVideos.DecodeIndices(source.ReadFrames([30, 2])));
            }
        }

        Loop(200); // warm-up: JIT, allocator pools
        GC.Collect();
        GC.WaitForPendingFinalizers();
        int fds = OpenFileDescriptors();
        long rss = ResidentBytes();
        Loop(2000);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.InRange(OpenFileDescriptors() - fds, -64, 8);
        Assert.InRange(ResidentBytes() - rss, long.MinValue, 40L << 20);
    }

    [Fact]
    public void A_failed_open_frees_what_it_allocated()
    {
        var dir = TestVideos.NewTempDir();
        try
        {
            var path = Path.Combine(dir, "zzzz.avi");
            File.Copy(_files.PathOf("xvid.avi"), path);
            TestVideos.PatchAviFourCC(path, "ZZZZ");
            var options = DecoderBackends.With(VideoDecoderBackend.Ffmpeg, new VideoDecodeOptions { TimeLimit = Timeout.InfiniteTimeSpan });
            for (int i = 0; i < 50; i++)
            {
                Assert.Throws<VideoDecodeException>(() => VideoReader.Open(path, options).Dispose());
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            int fds = OpenFileDescriptors();
            for (int i = 0; i < 1000; i++)
            {
                var e = Assert.Throws<VideoDecodeException>(() => VideoReader.Open(path, options).Dispose());
                Assert.Equal(VideoErrorKind.UnsupportedCodec, e.Kind);
                Assert.Contains("system FFmpeg", e.Message);
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            Assert.InRange(OpenFileDescriptors() - fds, -64, 8);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Decoder_threads_are_an_option(int threads)
    {
        var options = DecoderBackends.With(VideoDecoderBackend.Ffmpeg, new VideoDecodeOptions { DecoderThreads = threads });
        var clip = VideoReader.ReadClip(Path.Combine(TestVideos.DataFolder, "h264.mp4"), [0, 39, 7, 20], options);
        Assert.Equal([0, 39, 7, 20], TestVideos.DecodeIndices(clip));
    }

    private static (double Mean, int Max) Difference(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        long sum = 0;
        int max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int d = Math.Abs(a[i] - b[i]);
            sum += d;
            max = Math.Max(max, d);
        }

        return ((double)sum / a.Length, max);
    }

    private static int OpenFileDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    private static long ResidentBytes()
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64;
    }
}
