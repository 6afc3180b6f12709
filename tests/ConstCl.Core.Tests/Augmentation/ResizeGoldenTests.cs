using System.Globalization;
using ConstCl.Augmentation;

namespace ConstCl.Core.Tests.Augmentation;

public class ResizeGoldenTests
{
    [Fact]
    public void ResizeMatchesPyTorchBilinearWithoutAntialias()
    {
        // Golden values from TestData/augmentation/make_resize_golden.py (torch 1.13,
        // F.interpolate(bilinear, align_corners=False, antialias=False) on the same pattern frames).
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "augmentation", "resize_golden.txt");
        string[] lines = File.ReadAllLines(path);
        Assert.Equal(8, lines.Length);
        var frames = TestClips.PatternFrames(2, 30, 40);
        for (int i = 0; i < lines.Length; i += 2)
        {
            int[] p = lines[i].Split(' ').Skip(1).Select(int.Parse).ToArray();
            double[] golden = lines[i + 1].Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var crop = new CropRect(p[0], p[1], p[2], p[3]);
            var (raw, _) = RandomResizedCrop.Apply(frames, new[] { 0, 1 }, crop, p[4], p[5], quantize: false);
            var (levels, _) = RandomResizedCrop.Apply(frames, new[] { 0, 1 }, crop, p[4], p[5], quantize: true);
            Assert.Equal(golden.Length, raw.Data.Length);
            for (int j = 0; j < golden.Length; j++)
            {
                Assert.Equal(golden[j], raw.Data[j] * 255.0, 2e-3);

                // Truncation: floor of the golden value unless it sits on an integer (float rounding either way).
                double level = Math.Round(levels.Data[j] * 255.0);
                if (Math.Abs(golden[j] - Math.Round(golden[j])) > 1e-3)
                {
                    Assert.Equal(Math.Floor(golden[j]), level);
                }
                else
                {
                    Assert.InRange(Math.Round(golden[j]) - level, 0.0, 1.0);
                }
            }
        }
    }
}
