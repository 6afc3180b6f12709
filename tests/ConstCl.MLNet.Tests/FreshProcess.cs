using System.Diagnostics;
using System.Text.Json;

namespace ConstCl.MLNet.Tests;

/// <summary>
/// Loads a saved model in a fresh process: runs <c>tests/ConstCl.MLNet.LoadCheck</c> (ML.NET + ONNX Runtime, no
/// TorchSharp natives) with <c>dotnet exec</c> and reads back its JSON. Builds the checker once if it is not built yet.
/// </summary>
internal static class FreshProcess
{
    private static readonly Lazy<string> CheckerPath = new(LocateOrBuild);

    public sealed record Result(
        Dictionary<string, string> Types,
        Dictionary<string, JsonElement> Columns,
        Dictionary<string, double>? Metrics)
    {
        public float[][] Vectors(string column) => Columns[column].Deserialize<float[][]>()!;

        public bool[] Booleans(string column) => Columns[column].Deserialize<bool[]>()!;

        public string[] Texts(string column) => Columns[column].Deserialize<string[]>()!;
    }

    /// <summary>Loads <paramref name="modelPath"/> in a new process and transforms <paramref name="rows"/> (all text columns).</summary>
    public static Result Run(string modelPath, string[] columns, IEnumerable<string[]> rows, bool evaluate = false)
    {
        var dir = Path.GetDirectoryName(modelPath)!;
        var input = Path.Combine(dir, "input.tsv");
        File.WriteAllLines(input, rows.Select(r => string.Join('\t', r)).Prepend(string.Join('\t', columns)));
        var output = Path.Combine(dir, "output.json");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "exec", CheckerPath.Value, modelPath, input, output })
        {
            start.ArgumentList.Add(a);
        }

        if (evaluate)
        {
            start.ArgumentList.Add("--evaluate");
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"LoadCheck failed ({process.ExitCode}): {stderr}\n{stdout.Result}");
        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var root = json.RootElement;
        return new Result(
            root.GetProperty("types").Deserialize<Dictionary<string, string>>()!,
            root.GetProperty("columns").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()),
            root.TryGetProperty("metrics", out var m) ? m.Deserialize<Dictionary<string, double>>() : null);
    }

    private static string LocateOrBuild()
    {
        // The test assembly lives in tests/ConstCl.MLNet.Tests/bin/<Configuration>/net10.0/<rid>/.
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var testsDir = here;
        while (testsDir is not null && testsDir.Name != "ConstCl.MLNet.Tests")
        {
            testsDir = testsDir.Parent;
        }

        Assert.True(testsDir is not null, $"Cannot find the test project folder above '{AppContext.BaseDirectory}'.");
        var configuration = here.FullName.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var project = Path.Combine(testsDir!.Parent!.FullName, "ConstCl.MLNet.LoadCheck");
        var dll = Directory.Exists(Path.Combine(project, "bin", configuration))
            ? Directory.GetFiles(Path.Combine(project, "bin", configuration), "ConstCl.MLNet.LoadCheck.dll", SearchOption.AllDirectories).FirstOrDefault()
            : null;
        var source = typeof(ConstClCatalog).Assembly.Location;
        if (dll is not null && File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(dll)!, "ConstCl.MLNet.dll")).AsSpan().SequenceEqual(File.ReadAllBytes(source)))
        {
            return dll;
        }

        // Not built (or built from another version of the library under test): build it once.
        var build = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "build", project, "-c", configuration, "--nologo", "-v", "q" })
        {
            build.ArgumentList.Add(a);
        }

        using var process = Process.Start(build)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"Building LoadCheck failed: {stdout.Result}\n{stderr}");
        return Directory.GetFiles(Path.Combine(project, "bin", configuration), "ConstCl.MLNet.LoadCheck.dll", SearchOption.AllDirectories).First();
    }
}
