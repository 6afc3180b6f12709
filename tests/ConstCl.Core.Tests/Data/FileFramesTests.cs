using ConstCl.Augmentation;
using ConstCl.Core.Tests.Video;
using ConstCl.Data;

namespace ConstCl.Core.Tests.Data;

public sealed class FileFramesTests : IDisposable
{
    private readonly string _dir = LoaderTestData.NewTempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Everything but the (whole-frame) crop-resize switched off, so each output frame still shows its index code.</summary>
    private static readonly AugmentationOptions Identity = AugmentationOptions.Official with
    {
        CropAreaMin = 1, CropAreaMax = 1, CropAspectMin = 4f / 3, CropAspectMax = 4f / 3,
        FlipProbability = 0, ColorJitterProbability = 0, GrayscaleProbability = 0,
        BlurProbabilityView1 = 0, BlurProbabilityView2 = 0, SolarizeProbabilityView2 = 0,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EachOutputFrameIsTheSourceFrameNamedByFrameTimes(bool cache)
    {
        // Frame i of every test video carries i as an 8-bit block code (TestVideos), which survives the resize to 32².
        string[] paths = Enumerable.Range(0, 3).Select(i => TestVideos.Write(_dir, $"v{i}.avi", "MJPG", frames: 30)).ToArray();
        var options = LoaderTestData.Tiny() with { Augmentation = Identity, CacheDirectory = cache ? Path.Combine(_dir, "cache") : null };
        var batches = LoaderTestData.Run(new FileFrameProvider(paths, options.DecodeOptions, options.CacheDirectory), options, 3);
        int checkedFrames = 0;
        foreach (var batch in batches)
        {
            foreach (var (view, times) in new[] { (batch.A, batch.TA), (batch.B, batch.TB) })
            {
                for (int b = 0; b < 2; b++)
                {
                    for (int t = 0; t < 8; t++)
                    {
                        Assert.Equal(times[(b * 8) + t], TestVideos.DecodeIndex(Rgb(view, b, t), 32, 32));
                        checkedFrames++;
                    }
                }
            }
        }

        Assert.Equal(3 * 2 * 2 * 8, checkedFrames);
    }

    /// <summary>Frame t of sample b of a <c>[B, 3, T=8, 32, 32]</c> batch in [−1, 1], back to RGB24.</summary>
    private static byte[] Rgb(float[] view, int b, int t)
    {
        const int T = 8, S = 32, Plane = T * S * S;
        var rgb = new byte[S * S * 3];
        for (int c = 0; c < 3; c++)
        {
            for (int p = 0; p < S * S; p++)
            {
                float v = view[(b * 3 * Plane) + (c * Plane) + (t * S * S) + p];
                rgb[(p * 3) + c] = (byte)Math.Clamp(MathF.Round((v + 1f) * 127.5f), 0f, 255f);
            }
        }

        return rgb;
    }
}
