using ConstCl.Datasets;
using OpenCvSharp;

namespace ConstCl.Core.Tests.Datasets;

public class SyntheticVideoFileTests
{
    [Fact]
    public void WrittenVideosDecodeBackWithManifests()
    {
        using var t = new DatasetTestFiles();
        var gen = new SyntheticActions(new SyntheticActionsOptions { Classes = 2, VideosPerClass = 3, Frames = 8, Size = 32, Seed = 5, TestFraction = 0.34 });

        SyntheticDatasetFiles files = gen.WriteFiles(t.Root);

        Assert.Equal(4, files.TrainVideos);
        Assert.Equal(2, files.TestVideos);
        Assert.Equal("FFV1", files.Codec);
        VideoDataset all = VideoManifest.Read(files.Manifest);
        VideoDataset train = VideoManifest.Read(files.TrainManifest, all.ClassNames);
        VideoDataset test = VideoManifest.Read(files.TestManifest, all.ClassNames);
        Assert.Equal(6, all.Count);
        Assert.Equal([2, 2], train.CountPerClass());
        Assert.Equal([1, 1], test.CountPerClass());
        Assert.True(all.Report.IsComplete);
        Assert.StartsWith("path,label\nmove_left/move_left_0000.avi,move_left\n", File.ReadAllText(files.Manifest));
        Assert.Equal(6, FolderDataset.Load(t.Root).Count);
        Assert.Empty(Directory.GetFiles(t.Root, "*.tmp*", SearchOption.AllDirectories));

        SyntheticVideo expected = gen.Generate(1, 2);
        string path = test.Entries.Single(e => e.Label == "move_right").Path;
        using var capture = new VideoCapture(path);
        Assert.True(capture.IsOpened(), path);
        Assert.Equal(8, capture.FrameCount);
        Assert.Equal(32, capture.FrameWidth);
        Assert.Equal(32, capture.FrameHeight);
        int frames = 0;
        using var bgr = new Mat();
        while (capture.Read(bgr) && !bgr.Empty())
        {
            Assert.Equal(new Size(32, 32), bgr.Size());
            byte[] rgb = expected.Frames.Frames[frames];
            byte[] other = gen.Generate(0, 2).Frames.Frames[frames];
            double err = 0, swapped = 0, wrong = 0;
            for (int y = 0; y < 32; y++)
            {
                for (int x = 0; x < 32; x++)
                {
                    Vec3b px = bgr.At<Vec3b>(y, x); // B, G, R
                    int o = ((y * 32) + x) * 3;
                    err += Math.Abs(px.Item2 - rgb[o]) + Math.Abs(px.Item1 - rgb[o + 1]) + Math.Abs(px.Item0 - rgb[o + 2]);
                    swapped += Math.Abs(px.Item0 - rgb[o]) + Math.Abs(px.Item1 - rgb[o + 1]) + Math.Abs(px.Item2 - rgb[o + 2]);
                    wrong += Math.Abs(px.Item2 - other[o]) + Math.Abs(px.Item1 - other[o + 1]) + Math.Abs(px.Item0 - other[o + 2]);
                }
            }

            // Lossless (FFV1): the rendered pixels exactly, in the right channel order (a swap or another video differs).
            double n = 32 * 32 * 3;
            Assert.True(err == 0 && swapped > 0 && wrong > 0, $"frame {frames}: error {err / n:F3}, channel-swapped {swapped / n:F1}, other video {wrong / n:F1}");
            frames++;
        }

        Assert.Equal(8, frames);
    }
}
