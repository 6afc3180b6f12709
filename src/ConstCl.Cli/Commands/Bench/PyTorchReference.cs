using System.Text.Json;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>
/// The PyTorch side of <c>bench train|embed --vs-pytorch</c>: the reference script
/// <c>bench/pytorch/constcl_reference.py</c> run by a Python interpreter that has PyTorch (Debian: <c>python3-torch</c>).
/// </summary>
internal sealed class PyTorchReference
{
    /// <summary>The script's path inside the repository.</summary>
    internal const string ScriptRelativePath = "bench/pytorch/constcl_reference.py";

    /// <summary>What to install when the interpreter or PyTorch is missing.</summary>
    internal const string InstallHint = "install Python and PyTorch (Debian/Ubuntu: `sudo apt-get install python3 python3-torch`) or pass --python PATH to an interpreter that has torch";

    private PyTorchReference(string python, string script)
    {
        Python = python;
        Script = script;
    }

    /// <summary>The interpreter.</summary>
    internal string Python { get; }

    /// <summary>The reference script.</summary>
    internal string Script { get; }

    /// <summary>
    /// Finds the script (<paramref name="script"/>, else <see cref="ScriptRelativePath"/> under the current directory,
    /// the tool's folder or any of their parents) and checks that <paramref name="python"/> starts and imports torch.
    /// </summary>
    /// <exception cref="InvalidOperationException">Something is missing; the message says what and how to install it.</exception>
    internal static PyTorchReference Locate(string python, string? script, CancellationToken cancellationToken = default)
    {
        var path = script ?? FindScript();
        if (path is null || !File.Exists(path))
        {
            throw new InvalidOperationException(script is null
                ? $"the PyTorch reference script {ScriptRelativePath} was not found above the current directory or the tool's folder; run from the repository or pass --script PATH"
                : $"the PyTorch reference script '{script}' does not exist");
        }

        BenchProcess.Outcome probe;
        try
        {
            probe = BenchProcess.Run(python, ["-c", "import torch; print(torch.__version__)"], cancellationToken);
        }
        catch (FileNotFoundException e)
        {
            throw new InvalidOperationException($"the Python interpreter '{python}' cannot be started ({e.Message}); {InstallHint}", e);
        }

        if (probe.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{python}' cannot import torch (exit code {probe.ExitCode}: {BenchProcess.Tail(probe.Error, 2)}); {InstallHint}");
        }

        return new PyTorchReference(python, Path.GetFullPath(path));
    }

    /// <summary>Runs the script with <paramref name="arguments"/> plus <c>--json</c> and returns the parsed result.</summary>
    /// <exception cref="InvalidOperationException">The script failed or wrote no JSON.</exception>
    internal JsonElement Run(IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var json = Path.Combine(Path.GetTempPath(), "constcl-pytorch-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            var outcome = BenchProcess.Run(Python, [Script, .. arguments, "--json", json], cancellationToken);
            if (outcome.ExitCode != 0 || !File.Exists(json))
            {
                throw new InvalidOperationException(
                    $"the PyTorch reference failed (exit code {outcome.ExitCode}): {BenchProcess.Tail(outcome.Error + "\n" + outcome.Output)}");
            }

            using var document = JsonDocument.Parse(File.ReadAllText(json));
            return document.RootElement.Clone();
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static string? FindScript()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ScriptRelativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
