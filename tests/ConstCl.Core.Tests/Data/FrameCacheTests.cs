using ConstCl.Core.Tests.Video;
using ConstCl.Data;
using ConstCl.Video;

namespace ConstCl.Core.Tests.Data;

public sealed class FrameCacheTests : IDisposable
{
    private readonly string _dir = LoaderTestData.NewTempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly int[] Request = [0, 19, 5, 5, 3, 27]; // repeats, backwards, and one past the end (wraps to 7)

    [Fact]
    public void CachedFramesEqualDecodedFramesAndLaterReadsSkipDecoding()
    {
        string video = TestVideos.Write(_dir, "v.avi", "MJPG", frames: 20);
        var options = new VideoDecodeOptions { ShortSide = 36 };
        FrameSequence decoded = VideoReader.ReadClip(video, Request, options);

        var cache = new FrameCache(Path.Combine(_dir, "cache"));
        FrameSequence cached = cache.ReadFrames(video, options, Request);
        Assert.Equal(1, cache.Builds);
        AssertSameFrames(decoded, cached);
        Assert.Equal(20, cache.Describe(video, options).FrameCount);

        // A second cache over the same folder (a later epoch or a new process) reads the file without decoding.
        var again = new FrameCache(Path.Combine(_dir, "cache"));
        AssertSameFrames(decoded, again.ReadFrames(video, options, Request));
        Assert.Equal(0, again.Builds);

        // Another decode size is another cache entry.
        Assert.NotEqual(cache.FileFor(video, options), cache.FileFor(video, options with { ShortSide = 40 }));
        Assert.Single(Directory.GetFiles(Path.Combine(_dir, "cache")));
    }

    [Theory]
    [InlineData("truncate")]
    [InlineData("flip")]
    [InlineData("header")]
    public void DamagedCacheFileIsDetectedAndRebuilt(string damage)
    {
        string video = TestVideos.Write(_dir, "v.avi", "MJPG", frames: 20);
        var options = new VideoDecodeOptions { ShortSide = 36 };
        FrameSequence decoded = VideoReader.ReadClip(video, Request, options);
        var first = new FrameCache(Path.Combine(_dir, "cache"));
        first.ReadFrames(video, options, Request);
        string file = first.FileFor(video, options);
        long length = new FileInfo(file).Length;

        using (var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite))
        {
            switch (damage)
            {
                case "truncate":
                    stream.SetLength(length - 100);
                    break;
                case "flip":
                    stream.Position = FrameCache.HeaderLength + 1234;
                    int b = stream.ReadByte();
                    stream.Position--;
                    stream.WriteByte((byte)(b ^ 0x10));
                    break;
                default:
                    stream.Position = 16; // the frame count
                    stream.WriteByte(99);
                    break;
            }
        }

        var second = new FrameCache(Path.Combine(_dir, "cache"));
        AssertSameFrames(decoded, second.ReadFrames(video, options, Request));
        Assert.Equal(1, second.Builds);
        Assert.Equal(length, new FileInfo(file).Length);
    }

    [Fact]
    public void LoaderWithCacheGivesTheSameBatchesAsWithout()
    {
        string[] paths = Enumerable.Range(0, 4).Select(i => TestVideos.Write(_dir, $"v{i}.avi", "MJPG", frames: 24)).ToArray();
        var options = LoaderTestData.Tiny() with { DecodeShortSide = 40 };
        var direct = LoaderTestData.Run(new FileFrameProvider(paths, options.DecodeOptions), options, 3);
        var cachedOptions = options with { CacheDirectory = Path.Combine(_dir, "cache") };
        var provider = new FileFrameProvider(paths, cachedOptions.DecodeOptions, cachedOptions.CacheDirectory);
        var cached = LoaderTestData.Run(provider, cachedOptions, 3);
        Assert.Equal(4, provider.Cache!.Builds);
        Assert.Equal(4, Directory.GetFiles(cachedOptions.CacheDirectory!, "*.frames").Length);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(direct[k].Paths, cached[k].Paths);
            Assert.Equal(direct[k].A, cached[k].A);
            Assert.Equal(direct[k].B, cached[k].B);
        }
    }

    private static void AssertSameFrames(FrameSequence expected, FrameSequence actual)
    {
        Assert.Equal(expected.Width, actual.Width);
        Assert.Equal(expected.Height, actual.Height);
        Assert.Equal(expected.FrameIndices, actual.FrameIndices);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected.Frames[i], actual.Frames[i]);
        }
    }
}
