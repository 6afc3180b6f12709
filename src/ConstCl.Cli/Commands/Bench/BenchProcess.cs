using System.ComponentModel;
using System.Diagnostics;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>
/// Runs one side of a <c>--vs-pytorch</c> comparison as its own process (so its peak resident memory is its own) and
/// waits for it; standard output and error are captured. Cancellation (Ctrl+C) kills the child and its children.
/// </summary>
internal static class BenchProcess
{
    /// <summary>What a finished child process returned.</summary>
    internal sealed record Outcome(int ExitCode, string Output, string Error);

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/> and waits for it to exit.</summary>
    /// <exception cref="FileNotFoundException">The program does not exist or cannot be started.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the child was killed.</exception>
    internal static Outcome Run(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process? process;
        try
        {
            process = Process.Start(info);
        }
        catch (Win32Exception e)
        {
            throw new FileNotFoundException($"cannot start '{fileName}': {e.Message}", fileName, e);
        }

        if (process is null)
        {
            throw new FileNotFoundException($"cannot start '{fileName}'.", fileName);
        }

        using (process)
        using (cancellationToken.Register(() => Kill(process)))
        {
            // Read both streams concurrently so neither pipe can fill up and block the child.
            var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            cancellationToken.ThrowIfCancellationRequested();   // a killed child's exit code is not a result
            return new Outcome(process.ExitCode, output, error.GetAwaiter().GetResult());
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // It has exited already.
        }
    }

    /// <summary>
    /// How to start this tool again as a child: the <c>constcl</c> app host when that is what runs, otherwise the
    /// <c>dotnet</c> host with <c>constcl.dll</c> (also when the caller is a test host).
    /// </summary>
    internal static (string FileName, string[] Prefix) Self()
    {
        var dll = typeof(Program).Assembly.Location;
        var host = Environment.ProcessPath;
        if (host is not null && Path.GetFileNameWithoutExtension(host) == Path.GetFileNameWithoutExtension(dll))
        {
            return (host, []);
        }

        var dotnet = host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        return (dotnet, [dll]);
    }

    /// <summary>The last non-empty lines of a child's output, for error messages.</summary>
    internal static string Tail(string text, int lines = 6) =>
        string.Join(Environment.NewLine, text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(lines));
}
