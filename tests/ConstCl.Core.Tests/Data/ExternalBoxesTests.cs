using System.Globalization;
using ConstCl.Augmentation;
using ConstCl.Data;

namespace ConstCl.Core.Tests.Data;

public sealed class ExternalBoxesTests : IDisposable
{
    private readonly string _dir = LoaderTestData.NewTempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Source-frame box of frame f (normalised x1, y1, x2, y2): it moves with f so the lookup by frame index shows.
    private static float[] BoxOf(int f) => [0.1f, 0.2f, 0.4f + (0.02f * f), 0.9f];

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void ExternalBoxesAreLookedUpBySourceFrameAndMovedByTheAugmentation(double flipProbability)
    {
        var provider = LoaderTestData.Synthetic();
        string csv = Path.Combine(_dir, "boxes.csv");
        var lines = new List<string> { "video,frame,x1,y1,x2,y2" };
        for (int v = 0; v < provider.Count; v++)
        {
            for (int f = 0; f < 20; f++)
            {
                lines.Add(string.Join(',', new[] { provider.KeyOf(v), f.ToString(CultureInfo.InvariantCulture) }
                    .Concat(BoxOf(f).Select(x => x.ToString("R", CultureInfo.InvariantCulture)))));
            }
        }

        File.WriteAllLines(csv, lines);
        // The crop is the whole (square) frame, so the only geometry left is the flip: x' = 1 − x.
        var options = LoaderTestData.Tiny() with
        {
            RegionProposer = RegionProposerKind.External,
            ExternalBoxesPath = csv,
            BoxesPerFrame = 2,
            Augmentation = AugmentationOptions.Official with
            {
                CropAreaMin = 1, CropAreaMax = 1, CropAspectMin = 1, CropAspectMax = 1, FlipProbability = flipProbability,
            },
        };
        var batch = LoaderTestData.Run(provider, options, 2)[1];
        foreach (var (boxes, mask, times) in new[] { (batch.BoxA, batch.MaskA, batch.TA), (batch.BoxB, batch.MaskB, batch.TB) })
        {
            for (int bt = 0; bt < 2 * 8; bt++)
            {
                float[] src = BoxOf((int)times[bt]);
                float[] expected = flipProbability == 1 ? [1 - src[2], src[1], 1 - src[0], src[3]] : src;
                for (int c = 0; c < 4; c++)
                {
                    Assert.Equal(expected[c], boxes[(bt * 2 * 4) + c], 5);
                }

                Assert.True(mask[bt * 2]);       // the file's one box
                Assert.False(mask[(bt * 2) + 1]); // padding (a repeat of it), masked out
            }
        }
    }
}
