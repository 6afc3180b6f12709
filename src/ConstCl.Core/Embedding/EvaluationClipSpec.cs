using System.Globalization;
using System.Text;
using ConstCl.Modeling;
using ConstCl.Video;

namespace ConstCl.Embedding;

/// <summary>
/// What to cut from one video for evaluation (CVRL's linear-evaluation protocol, spec §6): <see cref="ClipCount"/>
/// linearly spaced clips of <see cref="FramesPerClip"/> frames at stride <see cref="FrameStride"/> (as
/// <see cref="Sampling.UniformClipSampler"/>) × <see cref="CropCount"/> spatial crops of <see cref="Size"/>² taken after the
/// short side is resized to <see cref="Size"/> (<see cref="Resize"/>: bilinear as CVRL, or an area filter); pixel values
/// mapped to [−1, 1] (ConST-CL's pre-training range) or [0, 1]. The result of <see cref="EvaluationClips.Prepare(string, EvaluationClipSpec)"/> is <c>[K·C, 3, T, S, S]</c>.
/// </summary>
public sealed record EvaluationClipSpec
{
    /// <summary>K, linearly spaced clips per video (CVRL: 10).</summary>
    public int ClipCount { get; init; } = 10;

    /// <summary>
    /// C, spatial crops per clip: 1 = centre; 3 = start/centre/end along the long side (left/centre/right for landscape,
    /// top/centre/bottom for portrait), CVRL's choice. Only 1 and 3 are defined.
    /// </summary>
    public int CropCount { get; init; } = 3;

    /// <summary>T, frames per clip (default 16, the pre-training length of the Paper preset; CVRL evaluates 32).</summary>
    public int FramesPerClip { get; init; } = 16;

    /// <summary>s, temporal stride between the frames of a clip (CVRL: 2).</summary>
    public int FrameStride { get; init; } = 2;

    /// <summary>S: the short side is resized to S, then S×S crops are cut (default 224; CVRL evaluates at 256).</summary>
    public int Size { get; init; } = 224;

    /// <summary>True: values <c>2·x/255 − 1</c> in [−1, 1], as ConST-CL's pre-training (default); false: <c>x/255</c> in [0, 1] (CVRL).</summary>
    public bool ZeroCenter { get; init; } = true;

    /// <summary>
    /// How the short side reaches S. <see cref="FrameResizeMode.Linear"/> (the record's default, CVRL's protocol): bilinear
    /// from the decoded frame, which aliases when the source is several times larger than S (320×240 → 64²).
    /// <see cref="FrameResizeMode.Area"/> (what <see cref="ForModel"/> chooses): frames are first brought to short side S
    /// with an area filter, as decoding with <see cref="VideoDecodeOptions.ShortSide"/> = S does, so the crops are exact
    /// copies. Sources whose short side is already S give the same views either way.
    /// </summary>
    public FrameResizeMode Resize { get; init; } = FrameResizeMode.Linear;

    /// <summary>Views per video, <c>K·C</c>.</summary>
    public int ViewCount => ClipCount * CropCount;

    /// <summary>
    /// CVRL's published evaluation: 10 clips × 3 crops, 32 frames at stride 2, short side 256 → 256² crops, [−1, 1].
    /// Expensive on a CPU (30 views of 32×256² per video).
    /// </summary>
    public static EvaluationClipSpec Cvrl { get; } = new() { ClipCount = 10, CropCount = 3, FramesPerClip = 32, FrameStride = 2, Size = 256 };

    /// <summary>
    /// The protocol matched to a model: T = <see cref="ConstClModelOptions.InputFrames"/>, S = <see cref="ConstClModelOptions.InputSize"/>
    /// (the clip size it was pre-trained on: 16×224² for Paper, 8×64² for Tiny) unless given, stride 2, [−1, 1], area
    /// resize (unless given); validated. The one place that fills a protocol from a model (the CLI's <c>embed</c> and
    /// <c>probe</c> and the default <see cref="VideoEmbedder"/> call it).
    /// </summary>
    /// <param name="model">The model options.</param>
    /// <param name="clipCount">K (default 10).</param>
    /// <param name="cropCount">C (default 3).</param>
    /// <param name="framesPerClip">T; null: the model's <see cref="ConstClModelOptions.InputFrames"/>.</param>
    /// <param name="frameStride">s (default 2).</param>
    /// <param name="size">S; null: the model's <see cref="ConstClModelOptions.InputSize"/>.</param>
    /// <param name="resize">How the short side reaches S (default <see cref="FrameResizeMode.Area"/>: no aliasing when
    /// the source is larger than S, the same sampling the CPU presets pre-train on; see <see cref="Resize"/>).</param>
    /// <exception cref="ArgumentException">A value is out of range (see <see cref="Validate"/>).</exception>
    public static EvaluationClipSpec ForModel(ConstClModelOptions model, int clipCount = 10, int cropCount = 3, int? framesPerClip = null, int frameStride = 2, int? size = null, FrameResizeMode resize = FrameResizeMode.Area)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new EvaluationClipSpec
        {
            ClipCount = clipCount,
            CropCount = cropCount,
            FramesPerClip = framesPerClip ?? model.InputFrames,
            FrameStride = frameStride,
            Size = size ?? model.InputSize,
            Resize = resize,
        }.Validate();
    }

    /// <summary>
    /// The one validator of the protocol (Core, the CLI and ML.NET accept the same ranges): K ≥ 1, C ∈ {1, 3}, T ≥ 1, s ≥ 1,
    /// S in [1, 4096]. Throws <see cref="ArgumentException"/> naming the first invalid field; returns this spec.
    /// </summary>
    public EvaluationClipSpec Validate()
    {
        if (ClipCount < 1)
        {
            throw new ArgumentException($"{nameof(ClipCount)} must be at least 1; got {ClipCount}.", nameof(ClipCount));
        }

        if (CropCount is not (1 or 3))
        {
            throw new ArgumentException($"{nameof(CropCount)} must be 1 (centre) or 3 (start, centre, end of the long side); got {CropCount}.", nameof(CropCount));
        }

        if (FramesPerClip < 1)
        {
            throw new ArgumentException($"{nameof(FramesPerClip)} must be at least 1; got {FramesPerClip}.", nameof(FramesPerClip));
        }

        if (FrameStride < 1)
        {
            throw new ArgumentException($"{nameof(FrameStride)} must be at least 1; got {FrameStride}.", nameof(FrameStride));
        }

        if (Size < 1 || Size > 4096)
        {
            throw new ArgumentException($"{nameof(Size)} must be in [1, 4096]; got {Size}.", nameof(Size));
        }

        if (!Enum.IsDefined(Resize))
        {
            throw new ArgumentException($"{nameof(Resize)} must be {nameof(FrameResizeMode.Linear)} or {nameof(FrameResizeMode.Area)}; got {Resize}.", nameof(Resize));
        }

        return this;
    }

    /// <summary>
    /// The one text form of the protocol, <c>clips=10;crops=3;frames=16;stride=2;size=224;range=-1..1;resize=area</c>, that <see cref="Parse"/>
    /// reads back: the <c>clip_spec</c> of <c>constcl embed</c>'s rows, part of the probe's embedding-cache key, and the start of
    /// the constant column a saved ML.NET model carries.
    /// </summary>
    public string ToSpecString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"clips={ClipCount};crops={CropCount};frames={FramesPerClip};stride={FrameStride};size={Size};range=");
        sb.Append(ZeroCenter ? "-1..1" : "0..1");
        sb.Append(Resize == FrameResizeMode.Area ? ";resize=area" : ";resize=linear");
        return sb.ToString();
    }

    /// <summary>
    /// Reads <see cref="ToSpecString"/>'s form; missing keys keep their defaults (so a text written before <c>resize</c>
    /// existed reads as <c>resize=linear</c>, the protocol it was made with), unknown keys are an error.
    /// </summary>
    /// <param name="text">For example <c>clips=2;crops=1;frames=4;stride=1;size=32</c>.</param>
    public static EvaluationClipSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spec = new EvaluationClipSpec();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                throw new FormatException($"Evaluation clip spec '{text}': '{part}' is not key=value.");
            }

            var key = part[..eq].Trim().ToLowerInvariant();
            var value = part[(eq + 1)..].Trim();
            if (key == "range")
            {
                spec = value switch
                {
                    "-1..1" => spec with { ZeroCenter = true },
                    "0..1" => spec with { ZeroCenter = false },
                    _ => throw new FormatException($"Evaluation clip spec '{text}': range must be '-1..1' or '0..1'; got '{value}'."),
                };
                continue;
            }

            if (key == "resize")
            {
                spec = value switch
                {
                    "linear" => spec with { Resize = FrameResizeMode.Linear },
                    "area" => spec with { Resize = FrameResizeMode.Area },
                    _ => throw new FormatException($"Evaluation clip spec '{text}': resize must be 'linear' or 'area'; got '{value}'."),
                };
                continue;
            }

            if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                throw new FormatException($"Evaluation clip spec '{text}': '{key}' needs an integer; got '{value}'.");
            }

            spec = key switch
            {
                "clips" => spec with { ClipCount = n },
                "crops" => spec with { CropCount = n },
                "frames" => spec with { FramesPerClip = n },
                "stride" => spec with { FrameStride = n },
                "size" => spec with { Size = n },
                _ => throw new FormatException($"Evaluation clip spec '{text}': unknown key '{key}' (expected clips, crops, frames, stride, size, range, resize)."),
            };
        }

        return spec.Validate();
    }
}
