using ConstCl.Video;

namespace ConstCl.Core.Tests.Video;

public sealed class TimeLimitTests
{
    /// <summary>A source whose ReadFrames blocks until released, recording whether Dispose ever overlapped a call.</summary>
    private sealed class HangingSource : IVideoSource
    {
        public readonly ManualResetEventSlim Release = new();
        public readonly ManualResetEventSlim Disposed = new();
        private int _inCall;

        public bool DisposedDuringCall { get; private set; }

        public string Path => "hanging.avi";

        public VideoInfo Info { get; } = new("hanging.avi", "avi", "TEST", 4, 2, 10, 25);

        public int CountFrames() => 10;

        public VideoScan Scan() => new(Info, 10, 0.4, 0.04, 0.04, false, 0);

        public FrameSequence ReadFrames(IReadOnlyList<int> frameIndices)
        {
            Interlocked.Increment(ref _inCall);
            try
            {
                if (frameIndices.Count > 0 && frameIndices[0] == 99)
                {
                    Release.Wait(); // "hangs" until the test releases it
                }

                return new FrameSequence(frameIndices.Select(_ => new byte[4 * 2 * 3]).ToArray(), 4, 2, frameIndices);
            }
            finally
            {
                Interlocked.Decrement(ref _inCall);
            }
        }

        public void Dispose()
        {
            DisposedDuringCall |= Volatile.Read(ref _inCall) != 0;
            Disposed.Set();
        }
    }

    [Fact]
    public void A_hanging_decoder_times_out_and_is_disposed_only_after_its_call_returns()
    {
        var inner = new HangingSource();
        var source = VideoReader.Wrap(inner, new VideoDecodeOptions { TimeLimit = TimeSpan.FromSeconds(1) });

        Assert.Equal(2, source.ReadFrames([1, 2]).Count); // fast calls pass through

        var e = Assert.Throws<VideoDecodeException>(() => source.ReadFrames([99]));
        Assert.Equal(VideoErrorKind.Timeout, e.Kind);
        Assert.Contains("hanging.avi", e.Message);

        // Abandoned: later calls fail at once, and disposing the wrapper must not touch the busy inner source.
        Assert.Equal(VideoErrorKind.Timeout, Assert.Throws<VideoDecodeException>(() => source.ReadFrames([1])).Kind);
        source.Dispose();
        Assert.False(inner.Disposed.IsSet);

        inner.Release.Set(); // the stuck call finally returns …
        Assert.True(inner.Disposed.Wait(TimeSpan.FromSeconds(10))); // … and the worker disposes the source
        Assert.False(inner.DisposedDuringCall);
    }

    [Fact]
    public void Without_a_timeout_the_inner_source_is_disposed_with_the_wrapper()
    {
        var inner = new HangingSource();
        var source = VideoReader.Wrap(inner, new VideoDecodeOptions { TimeLimit = TimeSpan.FromSeconds(30) });
        Assert.Equal([3], source.ReadFrames([3]).FrameIndices);
        source.Dispose();
        Assert.True(inner.Disposed.IsSet);
    }

    [Fact]
    public void Errors_inside_the_worker_reach_the_caller_unchanged()
    {
        var e = Assert.Throws<VideoDecodeException>(() => TimeLimitedVideoSource.RunWithLimit<int>(
            () => throw new VideoDecodeException(VideoErrorKind.Truncated, "x.avi", "cut"), TimeSpan.FromSeconds(5), "x.avi", "test"));
        Assert.Equal(VideoErrorKind.Truncated, e.Kind);
    }
}
