using ConstCl.Video;

namespace ConstCl.Datasets;

/// <summary>One rendered synthetic action clip with its ground truth.</summary>
public sealed class SyntheticVideo
{
    internal SyntheticVideo(int classIndex, string label, SyntheticMotion motion, int videoIndex, FrameSequence frames, IReadOnlyList<byte[]> masks, IReadOnlyList<SyntheticPose> poses)
    {
        ClassIndex = classIndex;
        Label = label;
        Motion = motion;
        VideoIndex = videoIndex;
        Frames = frames;
        Masks = masks;
        Poses = poses;
    }

    /// <summary>Zero-based class index (position in <see cref="SyntheticActions.ClassNames"/>).</summary>
    public int ClassIndex { get; }

    /// <summary>Class name, e.g. <c>move_left</c>.</summary>
    public string Label { get; }

    /// <summary>The motion that defines the class.</summary>
    public SyntheticMotion Motion { get; }

    /// <summary>
    /// The object's outline, drawn independently of the class: an appearance-defined label for checking that an encoder
    /// keeps appearance as well as motion (<c>constcl synth</c> writes it as <c>shape-train.csv</c> / <c>shape-test.csv</c>).
    /// </summary>
    public SyntheticShape Shape { get; init; }

    /// <summary>
    /// The pattern on the object, drawn independently of the class and the outline: a second appearance-defined label
    /// (<c>constcl synth</c> writes it as <c>texture-train.csv</c> / <c>texture-test.csv</c>).
    /// </summary>
    public SyntheticTexture Texture { get; init; }

    /// <summary>Index of this video within its class.</summary>
    public int VideoIndex { get; }

    /// <summary>The frames, RGB24 <c>[H, W, 3]</c> each.</summary>
    public FrameSequence Frames { get; }

    /// <summary>Object mask per frame, <c>[H, W]</c> bytes: 255 where the object covers at least half the pixel, else 0.</summary>
    public IReadOnlyList<byte[]> Masks { get; }

    /// <summary>Object pose per frame.</summary>
    public IReadOnlyList<SyntheticPose> Poses { get; }
}
