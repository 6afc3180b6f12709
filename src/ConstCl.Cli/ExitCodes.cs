namespace ConstCl.Cli;

/// <summary>The exit codes of <c>constcl</c> (README "Exit codes"): every command uses these and no others.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked (a scan or an embedding run that skipped unreadable videos included).</summary>
    internal const int Success = 0;

    /// <summary>The run failed: unreadable or malformed data, an output that cannot be written, a refused resume, divergence.</summary>
    internal const int Failure = 1;

    /// <summary>The command line cannot run as given: a parse error, a value out of range, a request larger than the memory.</summary>
    internal const int Usage = 2;

    /// <summary>Stopped by Ctrl+C (128 + SIGINT, as shells report an interrupted program); finished work is kept.</summary>
    internal const int Cancelled = 130;
}
