using ConstCl.Modeling;

namespace ConstCl.Cli.Commands;

/// <summary>Small parsers shared by the commands.</summary>
internal static class CliParsing
{
    /// <summary>"global" / "local" (any case) → the branch.</summary>
    internal static bool TryBranch(string text, out BackboneBranch branch)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "global":
                branch = BackboneBranch.Global;
                return true;
            case "local":
                branch = BackboneBranch.Local;
                return true;
            default:
                branch = default;
                return false;
        }
    }

    /// <summary>"i/n" with 0 ≤ i &lt; n.</summary>
    internal static bool TryShard(string? text, out int index, out int count)
    {
        index = 0;
        count = 1;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var parts = text.Split('/');
        return parts.Length == 2
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count)
            && count >= 1 && index < count;
    }
}
