using System.Globalization;

namespace ConstCl.Cli.Commands;

/// <summary>
/// The note <c>constcl pretrain</c> prints when it reads video files without <c>--frame-cache</c> and the run uses each video
/// more than once: on 2 cores the cache cut a <c>tiny</c> run's time by 44 % (decoding shares the cores with libtorch), and it
/// gives exactly the same batches (docs/data-loader.md, "Decoded-frame cache").
/// </summary>
internal static class FrameCacheAdvice
{
    /// <summary>Uses per video from which the note is given: a run that reads each video once gains nothing from a cache.</summary>
    internal const double MinimumUsesPerVideo = 2;

    /// <summary>The note, or null when the cache is on, there are no files, or the run reads each video fewer than twice.</summary>
    /// <param name="videos">Videos in the dataset (0 or fewer: no note).</param>
    /// <param name="steps">Optimiser steps of the run.</param>
    /// <param name="batchSize">Videos per step.</param>
    /// <param name="cached">Whether <c>--frame-cache</c> was given.</param>
    internal static string? For(int videos, int steps, int batchSize, bool cached)
    {
        if (cached || videos <= 0)
        {
            return null;
        }

        double uses = (double)steps * batchSize / videos;
        if (uses < MinimumUsesPerVideo)
        {
            return null;
        }

        string count = videos.ToString("N0", CultureInfo.InvariantCulture);
        string times = uses.ToString("N0", CultureInfo.InvariantCulture);
        return $"the run reads each of its {count} videos about {times} times and decodes them every time; --frame-cache DIR decodes each once into DIR "
            + "and reads the same batches from there (44 % less time for tiny on 2 cores; frames × height × width × 3 bytes per video at the decode size; docs/data-loader.md, \"Decoded-frame cache\").";
    }
}
