using System.CommandLine;
using ConstCl.Video;

namespace ConstCl.Cli;

/// <summary>
/// The <c>--decoder auto|opencv|ffmpeg</c> option, given once on the root command and valid on every sub-command that
/// reads videos (<c>scan</c>, <c>pretrain</c>, <c>embed</c>, <c>probe</c>, <c>show-views</c>, <c>bench decode</c>). It
/// reaches the library through the <c>CONSTCL_DECODER</c> environment variable for the duration of the command, which
/// is how the choice also reaches decodes that have no options of their own (an ML.NET model loaded from disk).
/// </summary>
internal static class DecoderChoice
{
    /// <summary>The option's name.</summary>
    internal const string Name = "--decoder";

    /// <summary>A new recursive <c>--decoder</c> option for a root command.</summary>
    internal static Option<string> Create()
    {
        var option = new Option<string>(Name)
        {
            Description = "Video decoder: auto (the system FFmpeg libraries when installed, else OpenCV's bundled FFmpeg), opencv or ffmpeg.",
            HelpName = "auto|opencv|ffmpeg",
            Recursive = true,
        };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && !VideoDecoderSelector.TryParse(result.Tokens[^1].Value, out _))
            {
                result.AddError($"{Name} expects auto, opencv or ffmpeg; got '{result.Tokens[^1].Value}'.");
            }
        });
        return option;
    }

    /// <summary>
    /// Sets <c>CONSTCL_DECODER</c> to the value given on the command line (if any) until the returned scope is disposed,
    /// then restores the previous value.
    /// </summary>
    internal static IDisposable Apply(ParseResult parse)
    {
        var option = parse.RootCommandResult.Command.Options.OfType<Option<string>>().FirstOrDefault(o => o.Name == Name);
        string? value = option is null || parse.GetResult(option) is null ? null : parse.GetValue(option);
        if (string.IsNullOrWhiteSpace(value))
        {
            return new Scope(null, restore: false);
        }

        string? previous = Environment.GetEnvironmentVariable(VideoDecoderSelector.EnvironmentVariable);
        Environment.SetEnvironmentVariable(VideoDecoderSelector.EnvironmentVariable, value.Trim().ToLowerInvariant());
        return new Scope(previous, restore: true);
    }

    private sealed class Scope(string? previous, bool restore) : IDisposable
    {
        public void Dispose()
        {
            if (restore)
            {
                Environment.SetEnvironmentVariable(VideoDecoderSelector.EnvironmentVariable, previous);
            }
        }
    }
}
