namespace ConstCl.Cli.Tests;

/// <summary>
/// A stand-in "python" for the --vs-pytorch plumbing tests: an executable /bin/sh script that answers the
/// <c>-c "import torch…"</c> probe and otherwise runs a given shell body (typically: write canned JSON to the path after
/// <c>--json</c>). It never measures anything; the tests that use it check process handling, pooling, ratios and JSON.
/// </summary>
internal static class FakePython
{
    /// <summary>Writes the script into <paramref name="dir"/>; <paramref name="torchMissing"/> makes the probe fail like an interpreter without torch.</summary>
    public static string Create(string dir, string body, bool torchMissing = false)
    {
        var path = Path.Combine(dir, "python-" + Guid.NewGuid().ToString("N")[..8]);
        var probe = torchMissing ? "echo \"ModuleNotFoundError: No module named 'torch'\" >&2; exit 1" : "echo 1.13.1; exit 0";
        File.WriteAllText(path, $"#!/bin/sh\nif [ \"$1\" = -c ]; then\n{probe}\nfi\n{body}\n");
        if (!OperatingSystem.IsWindows())   // a /bin/sh script: Unix only
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    /// <summary>A shell body that writes <paramref name="json"/> to the file named after <c>--json</c>.</summary>
    public static string WritingJson(string json) =>
        "out=''; while [ $# -gt 0 ]; do [ \"$1\" = --json ] && out=$2; shift; done\n" +
        "cat > \"$out\" <<'END'\n" + json + "\nEND";

    /// <summary>A placeholder reference-script file (the fake interpreter never reads it).</summary>
    public static string Script(string dir)
    {
        var path = Path.Combine(dir, "reference.py");
        File.WriteAllText(path, "# not run: the tests use a fake interpreter\n");
        return path;
    }
}
