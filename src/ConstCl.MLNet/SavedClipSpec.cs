using System.Globalization;

namespace ConstCl.MLNet;

/// <summary>
/// How evaluation clips are cut from a video: K uniformly spaced clips of <see cref="Frames"/> frames at
/// <see cref="Stride"/>, each resized (short side <see cref="Size"/>) and cut into C square crops.
/// Serialised as a short text (<c>frames=8;stride=2;size=64;clips=2;crops=1;skip=0</c>, plus <c>;folder=…</c>
/// URI-escaped when a base folder is set) that travels inside a saved model in a constant column, so the saved clip
/// decoder cuts exactly the clips the in-process path cuts. It adds the skip flag and the base folder of relative
/// paths to Core's <see cref="ConstCl.Embedding.EvaluationClipSpec"/>, which does the cutting. Models saved without a
/// folder have the same text as before the folder existed, so older ConstCl versions still load them.
/// </summary>
internal sealed record SavedClipSpec(int Frames, int Stride, int Size, int Clips, int Crops, bool SkipInvalid, string? Folder = null)
{
    /// <summary>Number of clips per video, <c>K·C</c>.</summary>
    public int ClipsPerVideo => Clips * Crops;

    /// <summary>Core's spec (pixels in [−1, 1], as in pre-training).</summary>
    public ConstCl.Embedding.EvaluationClipSpec ToCore() => new()
    {
        ClipCount = Clips, CropCount = Crops, FramesPerClip = Frames, FrameStride = Stride, Size = Size, ZeroCenter = true,
    };

    /// <summary>Checks every field; throws naming the field.</summary>
    public SavedClipSpec Validate()
    {
        if (Frames < 1) throw new ArgumentOutOfRangeException(nameof(Frames), Frames, "Frames must be at least 1.");
        if (Stride < 1) throw new ArgumentOutOfRangeException(nameof(Stride), Stride, "Stride must be at least 1.");
        if (Size < 8) throw new ArgumentOutOfRangeException(nameof(Size), Size, "Size must be at least 8 pixels.");
        if (Clips < 1) throw new ArgumentOutOfRangeException(nameof(Clips), Clips, "Clips must be at least 1.");
        if (Crops is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(Crops), Crops, "Crops must be 1 (centre) or 3 (both ends and centre).");
        return this;
    }

    /// <summary>The file a path of the column names: <see cref="Folder"/> combined with a relative path (as ML.NET's <c>LoadImages(imageFolder: …)</c>).</summary>
    public string Resolve(string path) => string.IsNullOrEmpty(Folder) ? path : Path.Combine(Folder, path);

    /// <summary>The text form stored in a saved model (escaped, so it fits in an expression's string literal).</summary>
    public string Format() => string.Create(CultureInfo.InvariantCulture,
        $"frames={Frames};stride={Stride};size={Size};clips={Clips};crops={Crops};skip={(SkipInvalid ? 1 : 0)}") +
        (string.IsNullOrEmpty(Folder) ? "" : ";folder=" + Uri.EscapeDataString(Folder));

    /// <summary>Parses <see cref="Format"/>'s output; throws a <see cref="FormatException"/> naming the bad part.</summary>
    public static SavedClipSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        string? folder = null;
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq > 0 && part[..eq] == "folder")
            {
                folder = Uri.UnescapeDataString(part[(eq + 1)..]);
                continue;
            }

            if (eq <= 0 || !int.TryParse(part.AsSpan(eq + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
            {
                throw new FormatException($"Clip spec '{text}': part '{part}' is not 'name=integer'.");
            }

            values[part[..eq]] = v;
        }

        int Get(string name) => values.TryGetValue(name, out var v)
            ? v
            : throw new FormatException($"Clip spec '{text}' has no '{name}' (expected frames, stride, size, clips, crops, skip).");
        return new SavedClipSpec(Get("frames"), Get("stride"), Get("size"), Get("clips"), Get("crops"), Get("skip") != 0, folder).Validate();
    }
}
