using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ConstCl.Cli.Commands;

/// <summary>
/// Inclusive ranges for the options that size an allocation (frames, clips, crops, batch, size, steps …) and the limits
/// the commands share: a value outside is a parse error (exit code 2) naming the option and its range, before anything
/// is loaded. The memory a request needs within these ranges is checked by <see cref="MemoryEstimate"/>.
/// </summary>
internal static class OptionBounds
{
    /// <summary>Most frames per clip (the paper uses 16 and 32).</summary>
    internal const int MaxClipFrames = 512;

    /// <summary>Largest crop side in pixels (the paper uses 224 and 256).</summary>
    internal const int MaxClipSize = 1024;

    /// <summary>Most clips per video (the CVRL protocol uses 10).</summary>
    internal const int MaxClips = 100;

    /// <summary>Largest temporal stride.</summary>
    internal const int MaxStride = 64;

    /// <summary>Most clips (or videos) per forward pass or optimiser step.</summary>
    internal const int MaxBatch = 4096;

    /// <summary>Most optimiser steps.</summary>
    internal const int MaxSteps = 100_000_000;

    /// <summary>Most threads of any kind.</summary>
    internal const int MaxThreads = 1024;

    /// <summary>Restricts an integer option to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    internal static Option<int> Within(this Option<int> option, int min, int max)
    {
        option.Validators.Add(result => Check(result, option.Name, min, max));
        return option;
    }

    /// <summary>Restricts an optional integer option to [<paramref name="min"/>, <paramref name="max"/>] when it is given.</summary>
    internal static Option<int?> Within(this Option<int?> option, int min, int max)
    {
        option.Validators.Add(result => Check(result, option.Name, min, max));
        return option;
    }

    private static void Check(OptionResult result, string name, int min, int max)
    {
        // Only what the user typed: defaults are in range by design, and a token that is not a number already has its error.
        if (result.Implicit || result.Tokens.Count == 0
            || !long.TryParse(result.Tokens[^1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            return;
        }

        if (value < min || value > max)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be between {min} and {max}; got {value}."));
        }
    }
}
