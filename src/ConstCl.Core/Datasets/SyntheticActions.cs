using System.Globalization;
using ConstCl.Video;

namespace ConstCl.Datasets;

/// <summary>
/// Synthetic action dataset whose classes are defined by motion alone (<see cref="SyntheticMotion"/>):
/// each video shows one object — a random shape (rectangle, ellipse, triangle, diamond, cross) with a
/// random elongation, size, orientation, texture (solid, stripes, checker, noise) and colours — over a
/// random background (noise, gradient, stripes, checker) that may drift slowly in a direction unrelated
/// to the class. The object wraps around the frame edges, so its position is uniform in every frame:
/// one frame cannot tell the class. Everything is deterministic from
/// (<see cref="SyntheticActionsOptions.Seed"/>, class, video index). Pure managed rendering; writing
/// files uses OpenCV (lossless FFV1 in AVI).
/// </summary>
public sealed class SyntheticActions
{
    /// <summary>Every motion class in class-index order (the first <c>Classes</c> are used).</summary>
    public static IReadOnlyList<SyntheticMotion> AllMotions { get; } = Enum.GetValues<SyntheticMotion>();

    /// <summary>Creates a generator; the options are validated here.</summary>
    public SyntheticActions(SyntheticActionsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Motions = AllMotions.Take(options.Classes).ToArray();
        ClassNames = Motions.Select(ClassNameOf).ToArray();
    }

    /// <summary>The validated options.</summary>
    public SyntheticActionsOptions Options { get; }

    /// <summary>The motion of each class, in class-index order.</summary>
    public IReadOnlyList<SyntheticMotion> Motions { get; }

    /// <summary>Class names (<c>move_left</c>, <c>rotate_clockwise</c>, …) in class-index order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of videos in each class's test split (the last indices of the class).</summary>
    public int TestVideosPerClass => TestCount(Options.VideosPerClass, Options.TestFraction);

    /// <summary>The snake-case class name of a motion, e.g. <c>rotate_counter_clockwise</c>.</summary>
    public static string ClassNameOf(SyntheticMotion motion)
    {
        string name = motion.ToString();
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(name[i]));
        }

        return sb.ToString();
    }

    /// <summary>
    /// Test videos per class for <paramref name="videosPerClass"/> and <paramref name="testFraction"/>:
    /// round(M·f), but at least 1 and at most M−1 when f &gt; 0 and M ≥ 2 (both splits stay non-empty).
    /// </summary>
    public static int TestCount(int videosPerClass, double testFraction)
    {
        if (testFraction <= 0)
        {
            return 0;
        }

        if (testFraction >= 1)
        {
            return videosPerClass;
        }

        if (videosPerClass < 2)
        {
            return 0;
        }

        return Math.Clamp((int)Math.Round(videosPerClass * testFraction, MidpointRounding.AwayFromZero), 1, videosPerClass - 1);
    }

    /// <summary>True when video <paramref name="videoIndex"/> of each class belongs to the test split.</summary>
    public bool IsTest(int videoIndex) => videoIndex >= Options.VideosPerClass - TestVideosPerClass;

    /// <summary>Renders one video in memory (thread-safe: each call draws from its own <see cref="Random"/>).</summary>
    /// <param name="classIndex">Class, 0..Classes−1.</param>
    /// <param name="videoIndex">Video within the class, ≥ 0 (indices beyond VideosPerClass are allowed: more samples of the same distribution).</param>
    public SyntheticVideo Generate(int classIndex, int videoIndex)
    {
        if ((uint)classIndex >= (uint)Motions.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"Class index must be 0..{Motions.Count - 1}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(videoIndex);
        int s = Options.Size;
        var rng = new Random(VideoSeed(Options.Seed, classIndex, videoIndex));
        SyntheticScene scene = SyntheticScene.Create(rng, Motions[classIndex], s, Options.Frames, Options.BackgroundDrift);
        var frames = new byte[Options.Frames][];
        var masks = new byte[Options.Frames][];
        var poses = new SyntheticPose[Options.Frames];
        for (int t = 0; t < Options.Frames; t++)
        {
            frames[t] = new byte[s * s * 3];
            masks[t] = new byte[s * s];
            scene.Render(t, frames[t], masks[t]);
            poses[t] = scene.PoseAt(t);
        }

        var sequence = new FrameSequence(frames, s, s, null, Options.FramesPerSecond);
        return new SyntheticVideo(classIndex, ClassNames[classIndex], Motions[classIndex], videoIndex, sequence, masks, poses) { Shape = scene.ObjectShape, Texture = scene.ObjectTexture };
    }

    /// <summary>Renders every video of a split (class-major, then by index); null renders both splits.</summary>
    public IEnumerable<SyntheticVideo> Generate(DatasetSubset? subset = null)
    {
        for (int c = 0; c < Motions.Count; c++)
        {
            for (int v = 0; v < Options.VideosPerClass; v++)
            {
                if (subset is null || IsTest(v) == (subset == DatasetSubset.Test))
                {
                    yield return Generate(c, v);
                }
            }
        }
    }

    /// <summary>
    /// Writes every video as <c>&lt;dir&gt;/&lt;class&gt;/&lt;class&gt;_NNNN.avi</c> (lossless FFV1, MJPG where FFV1 cannot be written; each file written to a
    /// temporary name and renamed) plus <c>manifest.csv</c>, <c>train.csv</c> and <c>test.csv</c>
    /// (<c>path,label</c>, paths relative to the folder; the label is the motion class), and <c>shape-train.csv</c> /
    /// <c>shape-test.csv</c>, the same splits labelled by the object's outline (<see cref="SyntheticShape"/>: an
    /// appearance-defined task, for checking that an encoder keeps appearance too), and <c>texture-train.csv</c> /
    /// <c>texture-test.csv</c>, the same splits labelled by the object's pattern (<see cref="SyntheticTexture"/>: a second
    /// appearance-defined task). The folder also reads as a folder-per-class dataset.
    /// </summary>
    /// <param name="outputDirectory">Target folder (created when missing).</param>
    /// <param name="progress">Called after each video with (done, total).</param>
    public SyntheticDatasetFiles WriteFiles(string outputDirectory, Action<int, int>? progress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        string dir = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(dir);
        var train = new List<VideoEntry>();
        var test = new List<VideoEntry>();
        var shapeTrain = new List<VideoEntry>();
        var shapeTest = new List<VideoEntry>();
        var textureTrain = new List<VideoEntry>();
        var textureTest = new List<VideoEntry>();
        long bytes = 0;
        var codecs = new HashSet<string>(StringComparer.Ordinal);
        int total = Motions.Count * Options.VideosPerClass, done = 0;
        foreach (SyntheticVideo video in Generate())
        {
            string classDir = Path.Combine(dir, video.Label);
            Directory.CreateDirectory(classDir);
            string path = Path.Combine(classDir, string.Create(CultureInfo.InvariantCulture, $"{video.Label}_{video.VideoIndex:0000}.avi"));
            codecs.Add(VideoFileWriter.WriteLosslessAvi(path, video.Frames, Options.FramesPerSecond));
            bytes += new FileInfo(path).Length;
            (IsTest(video.VideoIndex) ? test : train).Add(new VideoEntry(path, video.Label, video.ClassIndex));
            (IsTest(video.VideoIndex) ? shapeTest : shapeTrain).Add(new VideoEntry(path, ShapeName(video.Shape), (int)video.Shape));
            (IsTest(video.VideoIndex) ? textureTest : textureTrain).Add(new VideoEntry(path, TextureName(video.Texture), (int)video.Texture));
            progress?.Invoke(++done, total);
        }

        var files = new SyntheticDatasetFiles(
            dir,
            Path.Combine(dir, "manifest.csv"),
            Path.Combine(dir, "train.csv"),
            Path.Combine(dir, "test.csv"),
            ClassNames,
            train.Count,
            test.Count,
            bytes)
        {
            ShapeTrainManifest = Path.Combine(dir, "shape-train.csv"),
            ShapeTestManifest = Path.Combine(dir, "shape-test.csv"),
            TextureTrainManifest = Path.Combine(dir, "texture-train.csv"),
            TextureTestManifest = Path.Combine(dir, "texture-test.csv"),
            Codec = string.Join("+", codecs.Order(StringComparer.Ordinal)),
        };
        VideoManifest.Write(files.ShapeTrainManifest, shapeTrain);
        VideoManifest.Write(files.ShapeTestManifest, shapeTest);
        VideoManifest.Write(files.TextureTrainManifest, textureTrain);
        VideoManifest.Write(files.TextureTestManifest, textureTest);
        VideoManifest.Write(files.TrainManifest, train);
        VideoManifest.Write(files.TestManifest, test);
        VideoManifest.Write(files.Manifest, train.Concat(test).OrderBy(e => e.ClassIndex).ThenBy(e => e.Path, StringComparer.Ordinal));
        return files;
    }

    /// <summary>The label text of an outline in the shape manifests, e.g. <c>rectangle</c>.</summary>
    public static string ShapeName(SyntheticShape shape) => shape.ToString().ToLowerInvariant();

    /// <summary>The label text of a pattern in the texture manifests, e.g. <c>checker</c>.</summary>
    public static string TextureName(SyntheticTexture texture) => texture.ToString().ToLowerInvariant();

    /// <summary>A per-video seed from (seed, class, index): SplitMix64 over the three, folded to 31 bits.</summary>
    internal static int VideoSeed(int seed, int classIndex, int videoIndex)
    {
        ulong z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL);
        z = Mix(z ^ ((ulong)(uint)classIndex + 0x632BE59BD9B4E019UL));
        z = Mix(z ^ ((ulong)(uint)videoIndex + 0x85157AF5UL));
        return (int)(z & 0x7FFFFFFF);

        static ulong Mix(ulong x)
        {
            unchecked
            {
                x += 0x9E3779B97F4A7C15UL;
                x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
                x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
                return x ^ (x >> 31);
            }
        }
    }
}
