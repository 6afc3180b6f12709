using ConstCl.Video;

namespace ConstCl.Core.Tests.Video;

public sealed class VideoReaderTests : IClassFixture<VideoFilesFixture>
{
    private const int Frames = 40;
    private readonly VideoFilesFixture _files;

    public VideoReaderTests(VideoFilesFixture files) => _files = files;

    public static TheoryData<string, VideoDecoderBackend> WrittenCodecs()
        => DecoderBackends.Cross(VideoFilesFixture.Codecs.Select(c => c.Name));

    public static TheoryData<string, VideoDecoderBackend> CheckedInCodecs()
        => DecoderBackends.Cross(["h264.mp4", "vp9.webm", "vp8.webm", "vfr.mp4", "xvid_bframes.avi", "dx50_bframes.avi"]);

    public static TheoryData<VideoDecoderBackend> Backends() => DecoderBackends.Each();

    private static VideoDecodeOptions O(VideoDecoderBackend backend, VideoDecodeOptions? options = null) => DecoderBackends.With(backend, options);

    /// <summary>
    /// The pattern carried by each decodable frame. xvid_bframes.avi: FFmpeg decodes 38 of the 40 written frames
    /// (frames 37 and 39 are lost with the packed B-frames; ffprobe -count_frames also reads 38), so decoded frame 37
    /// carries pattern 38. Every other file decodes all 40.
    /// </summary>
    private static int[] Truth(string name)
        => name == "xvid_bframes.avi" ? [.. Enumerable.Range(0, 37), 38] : Enumerable.Range(0, Frames).ToArray();

    private string Resolve(string name)
        => VideoFilesFixture.Codecs.Any(c => c.Name == name) ? _files.PathOf(name) : Path.Combine(TestVideos.DataFolder, name);

    [Theory]
    [MemberData(nameof(WrittenCodecs))]
    [MemberData(nameof(CheckedInCodecs))]
    public void Sequential_read_returns_every_frame_in_order(string name, VideoDecoderBackend backend)
    {
        var truth = Truth(name);
        using var source = VideoReader.Open(Resolve(name), O(backend));
        var clip = source.ReadFrames(Enumerable.Range(0, truth.Length).ToArray());

        Assert.Equal(truth, TestVideos.DecodeIndices(clip));
        Assert.Equal(Enumerable.Range(0, truth.Length), clip.FrameIndices);
        Assert.Equal((TestVideos.Width, TestVideos.Height), (clip.Width, clip.Height));
        Assert.Equal(truth.Length, source.CountFrames());
    }

    [Theory]
    [MemberData(nameof(WrittenCodecs))]
    [MemberData(nameof(CheckedInCodecs))]
    public void Random_access_after_seeking_returns_the_requested_frames(string name, VideoDecoderBackend backend)
    {
        // Backward and forward jumps, repeats, far jumps (seek) and near ones (grab), in request order.
        var truth = Truth(name);
        int n = truth.Length;
        var rng = new Random(7);
        var request = Enumerable.Range(0, 12).Select(_ => rng.Next(n)).Concat([n - 1, 0, n - 2, 1, 30, 30, 2]).ToArray();
        using var source = VideoReader.Open(Resolve(name), O(backend, new VideoDecodeOptions { SeekThreshold = 4 }));

        var clip = source.ReadFrames(request);
        Assert.Equal(request.Select(i => truth[i]), TestVideos.DecodeIndices(clip));

        // Several clips from one source, each in its own call, as the loader does.
        for (int k = 0; k < 4; k++)
        {
            var strided = VideoReader.StridedIndices(rng.Next(n - 8), 4, 2);
            Assert.Equal(strided.Select(i => truth[i]), TestVideos.DecodeIndices(source.ReadFrames(strided)));
        }
    }

    [Theory]
    [InlineData("xvid.avi", true)]
    [InlineData("mp4v.mp4", true)]
    [InlineData("vp9.webm", true)]
    [InlineData("mpeg1.mpg", false)] // MPEG-PS: PosFrames lands on wrong frames (measured), always grab sequentially
    [InlineData("vfr.mp4", false)]   // variable frame rate: frame number ≠ time · fps, seeking is switched off
    [InlineData("xvid_bframes.avi", false)] // first frame stamped at 80 ms: PosFrames lands one frame off (measured)
    [InlineData("dx50_bframes.avi", false)] // first frame stamped at 40 ms: same rule
    public void Seeking_is_used_only_where_it_is_frame_exact(string name, bool seeks)
    {
        foreach (var backend in DecoderBackends.All)
        {
            using var source = VideoDecoderSelector.OpenFile(Resolve(name), O(backend, new VideoDecodeOptions { SeekThreshold = 2 }));
            var clip = source.ReadFrames([35, 5, 25]);
            Assert.Equal([35, 5, 25], TestVideos.DecodeIndices(clip)); // all below 37: same pattern in every file
            Assert.Equal(seeks, source.SeekingEnabled);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void One_source_per_thread_decodes_correctly_in_parallel(VideoDecoderBackend backend)
    {
        string[] names = ["xvid.avi", "mjpg.avi", "mp4v.mp4", "mpeg1.mpg"];
        var results = new int[8][];
        var expected = new int[8][];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
        {
            var rng = new Random(100 + t);
            expected[t] = Enumerable.Range(0, 10).Select(_ => rng.Next(Frames)).ToArray();
            using var source = VideoReader.Open(_files.PathOf(names[t % names.Length]), O(backend, new VideoDecodeOptions { ShortSide = 24 }));
            results[t] = TestVideos.DecodeIndices(source.ReadFrames(expected[t]));
        });
        for (int t = 0; t < 8; t++)
        {
            Assert.Equal(expected[t], results[t]);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Probe_reports_header_information(VideoDecoderBackend backend)
    {
        var info = VideoReader.Probe(_files.PathOf("xvid.avi"), O(backend));
        Assert.Equal("avi", info.Container);
        Assert.Equal(TestVideos.Width, info.Width);
        Assert.Equal(TestVideos.Height, info.Height);
        Assert.Equal(Frames, info.HeaderFrameCount);
        Assert.Equal(25, info.FramesPerSecond, 6);
        Assert.Equal(1.6, info.HeaderDurationSeconds, 6);
        Assert.False(string.IsNullOrWhiteSpace(info.Codec));

        var h264 = VideoReader.Probe(Path.Combine(TestVideos.DataFolder, "h264.mp4"), O(backend));
        Assert.Equal("mp4", h264.Container);
        Assert.Equal("h264", h264.Codec, ignoreCase: true);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Scan_reports_a_constant_frame_rate_for_a_regular_video(VideoDecoderBackend backend)
    {
        var scan = VideoReader.Scan(_files.PathOf("mjpg.avi"), O(backend));
        Assert.Equal(Frames, scan.DecodableFrames);
        Assert.False(scan.IsVariableFrameRate);
        Assert.Equal(0.04, scan.MinFrameIntervalSeconds, 3);
        Assert.Equal(0.04, scan.MaxFrameIntervalSeconds, 3);
        Assert.Equal(1.6, scan.DurationSeconds, 3);
        Assert.Equal(25, scan.AverageFramesPerSecond, 1);
        Assert.False(scan.HeaderFrameCountDiffers);
        Assert.Same(scan, VideoReader.Scan(_files.PathOf("mjpg.avi"), O(backend))); // cached per file
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Scan_reports_variable_frame_rate_honestly(VideoDecoderBackend backend)
    {
        // vfr.mp4 (make_videos.py): frames 0..19 are 40 ms apart, frames 20..39 are 80 ms apart.
        var scan = VideoReader.Scan(Path.Combine(TestVideos.DataFolder, "vfr.mp4"), O(backend));
        Assert.Equal(Frames, scan.DecodableFrames);
        Assert.True(scan.IsVariableFrameRate);
        Assert.Equal(0.04, scan.MinFrameIntervalSeconds, 3);
        Assert.Equal(0.08, scan.MaxFrameIntervalSeconds, 3);
        Assert.Equal((19 * 0.04) + 0.04 + (19 * 0.08) + 0.04, scan.DurationSeconds, 2); // last stamp 2.32 s + one 40 ms interval (median)
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Resize_sets_the_short_side_and_keeps_the_aspect_ratio(VideoDecoderBackend backend)
    {
        var options = O(backend, new VideoDecodeOptions { ShortSide = 24 });
        var clip = VideoReader.ReadClip(_files.PathOf("mjpg.avi"), [3, 17], options);
        Assert.Equal((32, 24), (clip.Width, clip.Height)); // 64×48 → short side 24 → 32×24
        Assert.Equal([3, 17], TestVideos.DecodeIndices(clip));

        var linear = VideoReader.ReadClip(_files.PathOf("mjpg.avi"), [5], options with { ResizeMode = FrameResizeMode.Linear, ShortSide = 96 });
        Assert.Equal((128, 96), (linear.Width, linear.Height));
        Assert.Equal([5], TestVideos.DecodeIndices(linear));

        Assert.Equal((24, 32), FrameConverterSize(48, 64, 24)); // portrait
        Assert.Equal((43, 24), FrameConverterSize(320, 180, 24)); // 42.67 rounds to 43
        Assert.Equal((64, 48), FrameConverterSize(64, 48, 0)); // 0 keeps the native size
    }

    private static (int, int) FrameConverterSize(int w, int h, int s) => FrameConverter.TargetSize(w, h, s);

    [Theory]
    [MemberData(nameof(Backends))]
    public void Frames_are_rgb_in_row_major_order(VideoDecoderBackend backend)
    {
        // FFV1 is lossless: a frame whose left half is pure blue (BGR 255,0,0) must read back as RGB (0,0,255).
        var dir = TestVideos.NewTempDir();
        try
        {
            var path = Path.Combine(dir, "color.avi");
            using (var writer = new OpenCvSharp.VideoWriter(path, OpenCvSharp.VideoCaptureAPIs.FFMPEG, OpenCvSharp.FourCC.FromString("FFV1"), 25, new OpenCvSharp.Size(64, 48), true))
            {
                using var m = new OpenCvSharp.Mat(48, 64, OpenCvSharp.MatType.CV_8UC3, new OpenCvSharp.Scalar(0, 0, 255)); // red
                m.Rectangle(new OpenCvSharp.Rect(0, 0, 32, 48), new OpenCvSharp.Scalar(255, 0, 0), -1); // left half blue
                writer.Write(m);
                writer.Write(m);
            }

            var clip = VideoReader.ReadClip(path, [0], O(backend));
            var f = clip.Frames[0];
            int left = ((10 * 64) + 5) * 3, right = ((10 * 64) + 50) * 3;
            Assert.InRange(f[left], 0, 3);
            Assert.InRange(f[left + 2], 252, 255); // blue in channel 2
            Assert.InRange(f[right], 252, 255);    // red in channel 0
            Assert.InRange(f[right + 2], 0, 3);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_lying_header_is_overruled_by_the_frames_that_decode(VideoDecoderBackend backend)
    {
        var dir = TestVideos.NewTempDir();
        try
        {
            // 40 real frames, header patched to claim 444 (as some UCF101/HMDB51 files do).
            var path = TestVideos.Write(dir, "liar.avi", "XVID");
            TestVideos.PatchAviFrameCount(path, 444);

            using (var source = VideoReader.Open(path, O(backend)))
            {
                Assert.Equal(444, source.Info.HeaderFrameCount);
                Assert.Equal(Frames, source.CountFrames());
                Assert.True(source.Scan().HeaderFrameCountDiffers);
            }

            FrameCountCache.Remove(path); // the wrap below must discover the real end by itself
            var wrap = VideoReader.ReadClip(path, [38, 100, 200, 443], O(backend));
            Assert.Equal([38, 20, 0, 3], wrap.FrameIndices); // i mod 40
            Assert.Equal([38, 20, 0, 3], TestVideos.DecodeIndices(wrap));

            var clamp = VideoReader.ReadClip(path, [10, 100], O(backend, new VideoDecodeOptions { EndPolicy = ClipEndPolicy.Clamp }));
            Assert.Equal([10, 39], TestVideos.DecodeIndices(clamp));

            var error = Assert.Throws<VideoDecodeException>(() => VideoReader.ReadClip(path, [100], O(backend, new VideoDecodeOptions { EndPolicy = ClipEndPolicy.Throw })));
            Assert.Equal(VideoErrorKind.FrameOutOfRange, error.Kind);
            Assert.Contains("100", error.Message);
            Assert.Contains(path, error.Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("MJPG", VideoDecoderBackend.OpenCv)]
    [InlineData("XVID", VideoDecoderBackend.OpenCv)]
    [InlineData("MJPG", VideoDecoderBackend.Ffmpeg)]
    [InlineData("XVID", VideoDecoderBackend.Ffmpeg)]
    public void A_single_frame_video_reads_and_wraps(string fourcc, VideoDecoderBackend backend)
    {
        var dir = TestVideos.NewTempDir();
        try
        {
            var path = TestVideos.Write(dir, "one.avi", fourcc, frames: 1);
            using var source = VideoReader.Open(path, O(backend));
            Assert.Equal([0, 0, 0], TestVideos.DecodeIndices(source.ReadFrames([0, 5, 0])));
            Assert.Equal(1, source.CountFrames());
            Assert.Equal([0], TestVideos.DecodeIndices(source.ReadFrames([0])));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_strided_clip_past_the_end_wraps_like_cvrl_sampling(VideoDecoderBackend backend)
    {
        var clip = VideoReader.ReadClip(_files.PathOf("mp4v.mp4"), start: 30, count: 8, stride: 2, O(backend));
        int[] expected = [30, 32, 34, 36, 38, 0, 2, 4]; // (30 + 2k) mod 40
        Assert.Equal(expected, clip.FrameIndices);
        Assert.Equal(expected, TestVideos.DecodeIndices(clip));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_video_cut_in_half_decodes_the_frames_it_still_holds(VideoDecoderBackend backend)
    {
        var dir = TestVideos.NewTempDir();
        try
        {
            var full = File.ReadAllBytes(_files.PathOf("mjpg.avi"));
            var path = Path.Combine(dir, "half.avi");
            File.WriteAllBytes(path, full[..(full.Length / 2)]);

            using var source = VideoReader.Open(path, O(backend));
            int n = source.CountFrames();
            Assert.InRange(n, 3, 30); // the AVI header takes ~6 KB of the 13 KB file
            Assert.Equal(Frames, source.Info.HeaderFrameCount);
            var clip = source.ReadFrames([0, n - 1, n + 3]);
            Assert.Equal([0, n - 1, 3], TestVideos.DecodeIndices(clip));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_bad_slice_in_the_middle_does_not_end_the_stream(VideoDecoderBackend backend)
    {
        var dir = TestVideos.NewTempDir();
        try
        {
            // Overwrite frame 20's JPEG data (MJPEG: each frame is independent) with garbage.
            var bytes = File.ReadAllBytes(_files.PathOf("mjpg.avi"));
            var chunks = TestVideos.AviFrameChunks(bytes);
            Assert.Equal(Frames, chunks.Count);
            var (offset, size) = chunks[20];
            new Random(3).NextBytes(bytes.AsSpan(offset, size));
            var path = Path.Combine(dir, "badslice.avi");
            File.WriteAllBytes(path, bytes);

            using var source = VideoReader.Open(path, O(backend));
            var scan = source.Scan();
            Assert.InRange(scan.DecodableFrames, Frames - 1, Frames); // the bad frame is skipped or concealed
            Assert.Equal(Frames, scan.DecodableFrames + scan.GrabFailures); // measured with OpenCV 4.13: 39 frames, 1 failed grab
            var clip = source.ReadFrames(Enumerable.Range(0, scan.DecodableFrames).ToArray());
            var decoded = TestVideos.DecodeIndices(clip);
            Assert.Equal(Enumerable.Range(0, 20), decoded.Take(20));
            Assert.Equal(39, decoded[^1]); // decoding continued to the last frame

            // With no retries the stream ends at the bad slice (only when FFmpeg skips the frame rather than concealing it).
            if (scan.GrabFailures > 0)
            {
                FrameCountCache.Remove(path);
                using var strict = VideoReader.Open(path, O(backend, new VideoDecodeOptions { MaxConsecutiveGrabFailures = 0 }));
                Assert.Equal(20, strict.CountFrames());
                FrameCountCache.Remove(path);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
