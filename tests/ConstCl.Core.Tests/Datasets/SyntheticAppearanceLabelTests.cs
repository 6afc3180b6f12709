using ConstCl.Datasets;

namespace ConstCl.Core.Tests.Datasets;

/// <summary>The appearance labels (outline, pattern): what they say is what is drawn, and <c>WriteFiles</c> writes them for every video.</summary>
public class SyntheticAppearanceLabelTests
{
    [Fact]
    public void TextureLabelIsThePatternDrawnOnTheObject()
    {
        var gen = new SyntheticActions(new SyntheticActionsOptions { Classes = 8, VideosPerClass = 6, Frames = 4, Size = 64, Seed = 9 });
        var seen = new HashSet<SyntheticTexture>();
        foreach (SyntheticVideo video in gen.Generate())
        {
            seen.Add(video.Texture);
            int colours = InteriorColours(video.Frames.Frames[0], video.Masks[0], 64);
            // A solid object is one colour wherever it covers the whole pixel; stripes, checks and noise show two or more.
            if (video.Texture == SyntheticTexture.Solid)
            {
                Assert.True(colours == 1, $"{video.Label} #{video.VideoIndex}: labelled solid, {colours} interior colours");
            }
            else
            {
                Assert.True(colours >= 2, $"{video.Label} #{video.VideoIndex}: labelled {video.Texture}, {colours} interior colour");
            }
        }

        Assert.Equal(Enum.GetValues<SyntheticTexture>().Length, seen.Count);
    }

    [Fact]
    public void WriteFilesLabelsEveryVideoByOutlineAndPattern()
    {
        using var t = new DatasetTestFiles();
        var gen = new SyntheticActions(new SyntheticActionsOptions { Classes = 2, VideosPerClass = 6, Frames = 4, Size = 32, Seed = 5, TestFraction = 0.34 });

        SyntheticDatasetFiles files = gen.WriteFiles(t.Root);

        var split = new[]
        {
            (Motion: files.TrainManifest, Shape: files.ShapeTrainManifest!, Texture: files.TextureTrainManifest!),
            (Motion: files.TestManifest, Shape: files.ShapeTestManifest!, Texture: files.TextureTestManifest!),
        };
        Assert.EndsWith("texture-train.csv", files.TextureTrainManifest);
        Assert.EndsWith("texture-test.csv", files.TextureTestManifest);
        foreach (var (motionPath, shapePath, texturePath) in split)
        {
            VideoDataset motion = VideoManifest.Read(motionPath);
            VideoDataset shape = VideoManifest.Read(shapePath);
            VideoDataset texture = VideoManifest.Read(texturePath);
            Assert.Equal(motion.Entries.Select(e => e.Path), shape.Entries.Select(e => e.Path));
            Assert.Equal(motion.Entries.Select(e => e.Path), texture.Entries.Select(e => e.Path));
            for (int i = 0; i < motion.Count; i++)
            {
                // The file name is <class>_<index>.avi: regenerate that video and compare its labels.
                string stem = Path.GetFileNameWithoutExtension(motion.Entries[i].Path);
                int classIndex = gen.ClassNames.ToList().IndexOf(motion.Entries[i].Label!);
                int videoIndex = int.Parse(stem[(stem.LastIndexOf('_') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                SyntheticVideo video = gen.Generate(classIndex, videoIndex);
                Assert.Equal(SyntheticActions.ShapeName(video.Shape), shape.Entries[i].Label);
                Assert.Equal(SyntheticActions.TextureName(video.Texture), texture.Entries[i].Label);
            }
        }

        Assert.Equal("checker", SyntheticActions.TextureName(SyntheticTexture.Checker));
    }

    /// <summary>Distinct RGB values among pixels whose 3×3 neighbourhood lies inside the object's mask.</summary>
    private static int InteriorColours(byte[] rgb, byte[] mask, int size)
    {
        var colours = new HashSet<int>();
        for (int y = 1; y < size - 1; y++)
        {
            for (int x = 1; x < size - 1; x++)
            {
                bool interior = true;
                for (int dy = -1; dy <= 1 && interior; dy++)
                {
                    for (int dx = -1; dx <= 1 && interior; dx++)
                    {
                        interior = mask[((y + dy) * size) + x + dx] == 255;
                    }
                }

                if (interior)
                {
                    int o = ((y * size) + x) * 3;
                    colours.Add((rgb[o] << 16) | (rgb[o + 1] << 8) | rgb[o + 2]);
                }
            }
        }

        Assert.True(colours.Count > 0, "the object has no interior pixel");
        return colours.Count;
    }
}
