namespace ConstCl.Modeling;

/// <summary>
/// How the backbone's tensors are named inside a whole <see cref="ConstClModel"/>'s state dict: <c>backbone.</c> + the
/// <see cref="ResNet3dY"/>'s own name (<c>backbone.stem.conv.weight</c>). The one place that adds or strips the prefix:
/// encoder files, safetensors import/export and <see cref="ConstClModel"/>'s component name all use it.
/// </summary>
internal static class BackboneKeys
{
    /// <summary>The backbone's component name in <see cref="ConstClModel"/>.</summary>
    internal const string ModuleName = "backbone";

    /// <summary>The prefix of the backbone's tensors in a whole model's state dict.</summary>
    internal const string Prefix = ModuleName + ".";

    /// <summary>True when <paramref name="key"/> names a backbone tensor of a whole model.</summary>
    internal static bool IsPrefixed(string key) => key.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>True when any of <paramref name="keys"/> is prefixed (the weights are a whole model's, not a bare backbone's).</summary>
    internal static bool AnyPrefixed(IEnumerable<string> keys) => keys.Any(IsPrefixed);

    /// <summary>The prefixed entries of <paramref name="weights"/> under the backbone's own names; other entries are dropped.</summary>
    internal static Dictionary<string, T> Strip<T>(IEnumerable<KeyValuePair<string, T>> weights) =>
        weights.Where(kv => IsPrefixed(kv.Key)).ToDictionary(kv => kv.Key[Prefix.Length..], kv => kv.Value, StringComparer.Ordinal);
}
