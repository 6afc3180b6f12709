using System.Globalization;
using ConstCl.Embedding;

namespace ConstCl.MLNet;

/// <summary>
/// What the clip decoder of a saved model needs: Core's protocol record (<see cref="EvaluationClipSpec"/>, which does the
/// cutting), plus what ML.NET adds around it, the skip flag and the base folder of relative paths. It travels inside a saved
/// model in a constant text column: Core's one text form followed by the two additions,
/// <c>clips=2;crops=1;frames=8;stride=2;size=64;range=-1..1;skip=0</c> (plus <c>;folder=…</c>, URI-escaped, when a base
/// folder is set). <see cref="Parse"/> also reads the text of models saved by ConstCl 0.x before this form
/// (<c>frames=8;stride=2;size=64;clips=2;crops=1;skip=0[;folder=…]</c>, values in [−1, 1]): those models keep loading.
/// </summary>
/// <param name="Clips">The protocol.</param>
/// <param name="SkipInvalid">A video that cannot be decoded gives the zero vector instead of an error.</param>
/// <param name="Folder">Base folder of relative video paths, or null.</param>
internal sealed record SavedClipSpec(EvaluationClipSpec Clips, bool SkipInvalid, string? Folder = null)
{
    private const string SkipKey = "skip";
    private const string FolderKey = "folder";

    /// <summary>The file a path of the column names: <see cref="Folder"/> combined with a relative path (as ML.NET's <c>LoadImages(imageFolder: …)</c>).</summary>
    public string Resolve(string path) => string.IsNullOrEmpty(Folder) ? path : Path.Combine(Folder, path);

    /// <summary>The text form stored in a saved model (escaped, so it fits in an expression's string literal).</summary>
    public string Format() => Clips.ToSpecString() + string.Create(CultureInfo.InvariantCulture, $";{SkipKey}={(SkipInvalid ? 1 : 0)}") +
        (string.IsNullOrEmpty(Folder) ? "" : $";{FolderKey}=" + Uri.EscapeDataString(Folder));

    /// <summary>
    /// Reads <see cref="Format"/>'s output or the older saved form (the protocol keys in another order, no <c>range</c>):
    /// <c>skip</c> and <c>folder</c> are taken here, everything else by <see cref="EvaluationClipSpec.Parse"/> (the one
    /// validator). Throws a <see cref="FormatException"/> naming the bad part, or an <see cref="ArgumentException"/> naming
    /// the field out of range.
    /// </summary>
    public static SavedClipSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int? skip = null;
        string? folder = null;
        var protocol = new List<string>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            var key = eq > 0 ? part[..eq] : "";
            if (key == FolderKey)
            {
                folder = Uri.UnescapeDataString(part[(eq + 1)..]);
            }
            else if (key == SkipKey)
            {
                skip = int.TryParse(part.AsSpan(eq + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
                    ? v
                    : throw new FormatException($"Clip spec '{text}': part '{part}' is not 'skip=0' or 'skip=1'.");
            }
            else
            {
                protocol.Add(part);
            }
        }

        if (skip is null)
        {
            throw new FormatException($"Clip spec '{text}' has no '{SkipKey}' (expected the protocol's keys, then skip and an optional folder).");
        }

        var keys = protocol.Select(p => p.Split('=')[0].Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        foreach (var required in new[] { "clips", "crops", "frames", "stride", "size" })
        {
            if (!keys.Contains(required))
            {
                throw new FormatException($"Clip spec '{text}' has no '{required}' (expected clips, crops, frames, stride, size, range, resize, skip).");
            }
        }

        return new SavedClipSpec(EvaluationClipSpec.Parse(string.Join(';', protocol)), skip != 0, folder);
    }
}
