using System.Globalization;
using ConstCl.Training;
using Microsoft.ML.Runtime;

namespace ConstCl.MLNet;

/// <summary>
/// Writes a pre-training run to <c>MLContext.Log</c> through an ML.NET channel (public <see cref="IChannel"/> API):
/// one <c>Info</c> line per logged step (step/total, losses, learning rate, the representation diagnostics, clips/s,
/// ETA), the trainer's own events (<see cref="Pretrainer.Log"/>; its <c>"Warning: …"</c> lines as <c>Warning</c>), and
/// at the end the final diagnostics, every health warning and every skipped video. Forwards each report to the
/// user's <see cref="IProgress{T}"/>, if any.
/// </summary>
internal sealed class PretrainingLog : IProgress<PretrainingProgress>
{
    /// <summary>The prefix <see cref="Pretrainer"/> gives its health warnings.</summary>
    public const string WarningPrefix = "Warning: ";

    private readonly IChannel _channel;
    private readonly IProgress<PretrainingProgress>? _user;

    public PretrainingLog(IChannel channel, IProgress<PretrainingProgress>? user)
    {
        _channel = channel;
        _user = user;
    }

    /// <summary>Logs the step line, then forwards the report.</summary>
    public void Report(PretrainingProgress value)
    {
        Info(FormatProgress(value));
        _user?.Report(value);
    }

    /// <summary>One line of <see cref="Pretrainer.Log"/>: a warning when it starts with <see cref="WarningPrefix"/>.</summary>
    public void Event(string line)
    {
        if (line.StartsWith(WarningPrefix, StringComparison.Ordinal))
        {
            Warning(line);
        }
        else
        {
            Info(line);
        }
    }

    /// <summary>An information line.</summary>
    public void Info(string message) => _channel.Info(MessageSensitivity.None, message);

    /// <summary>A warning line.</summary>
    public void Warning(string message) => _channel.Warning(MessageSensitivity.None, message);

    /// <summary>The summary of a finished run: steps, final diagnostics, every warning, every skipped video.</summary>
    public void Finished(PretrainingResult result, IReadOnlyList<ConstCl.Video.SkipRecord> skipped)
    {
        Info(string.Create(CultureInfo.InvariantCulture,
            $"Pre-training finished: {result.Step} of {result.TotalSteps} steps ({result.SkippedSteps} skipped as non-finite), {result.Warnings.Count} warning(s)."));
        if (result.LastProgress?.Diagnostics is { } diagnostics)
        {
            Info($"Final diagnostics: {diagnostics}");
        }

        foreach (var warning in result.Warnings)
        {
            Warning(WarningPrefix + warning);
        }

        foreach (var record in skipped)
        {
            Warning($"Skipped video '{record.Path}' ({record.Kind}): {record.Message}");
        }
    }

    /// <summary>
    /// The line of one report: <c>step 20/300 (6.7%) | loss … (global …, local …) | lr … | loss/chance …, pos top-1 …, … |
    /// 41.2 clips/s, data wait 3% | ETA 00:04:10</c>.
    /// </summary>
    public static string FormatProgress(PretrainingProgress p)
    {
        var c = CultureInfo.InvariantCulture;
        var eta = p.Eta is { } e ? string.Format(c, "{0:D2}:{1:D2}:{2:D2}", (int)e.TotalHours, e.Minutes, e.Seconds) : "--:--:--";
        var diagnostics = p.Diagnostics is { } d ? " | " + d : "";
        var skipped = p.SkippedSteps > 0 ? string.Format(c, " | {0} steps skipped", p.SkippedSteps) : "";
        return string.Format(c,
            "step {0}/{1} ({2:0.0}%) | loss {3:0.0000} (global {4:0.0000}, local {5:0.0000}) | lr {6:g4}{7} | {8:0.0} clips/s, data wait {9:0}% | ETA {10}{11}",
            p.Step, p.TotalSteps, 100.0 * p.Step / p.TotalSteps, p.TotalLoss, p.GlobalLoss, p.LocalLoss, p.LearningRate, diagnostics,
            p.ClipsPerSecond, 100 * p.DataWaitShare, eta, skipped);
    }
}
