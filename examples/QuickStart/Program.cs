using System.Globalization;
using ConstCl.Augmentation;
using ConstCl.Modeling;

namespace QuickStart;

/// <summary>
/// <c>dotnet run --project examples/QuickStart -c Release [-- --json FILE] [--seed N] [--steps N] …</c>: pre-trains
/// ConST-CL and CVRL encoders (Small preset) on synthetic actions and compares their ML.NET linear probes with random
/// weights and chance, for the motion classes and for the objects' outlines.
/// </summary>
internal static class Program
{
    private const string Usage = """
        ConstCl quick start: synthetic actions → ConST-CL / CVRL pre-training → ML.NET linear probe (motion and appearance).

        Options (defaults in parentheses; "preset" = the preset's value):
          --json FILE              also write the table as JSON
          --preset small|tiny      pre-training preset (small: the CPU preset)
          --seed N                 seed of data, weights, loader and probe (1)
          --steps N                pre-training steps per encoder (the preset's, at most 400)
          --batch-size N           videos per step (preset)
          --lr PEAK                peak learning rate (preset)
          --classes N              motion classes, 2..12 (8)
          --videos-per-class N     videos per class, a quarter held out for testing (48)
          --drift F                background drift of the synthetic videos, 0..0.25 (0: a drift is a shortcut)
          --input rgb|difference   what the network sees (preset; small: difference)
          --flip shared|none|independent   how the two views are flipped (preset; small: shared)
          --min-view-gap N         smallest start gap between the two views, in frames (preset)
          --local-weight W         ω of the ConST-CL encoder (preset)
          --variants LIST          rows to compute, from constcl,cvrl,random (all)
          --threads N              libtorch threads (2)
        """;

    /// <summary>Entry point; returns 0 on success, 2 on bad arguments.</summary>
    public static int Main(string[] args)
    {
        if (args.Any(a => a is "-h" or "--help"))
        {
            Console.Out.WriteLine(Usage);   // asked for: standard output and success, like every other tool
            return 0;
        }

        QuickStartSettings settings;
        string? jsonPath;
        try
        {
            (settings, jsonPath) = Parse(args);
            settings.Validate();
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"quick start: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            var result = QuickStartPipeline.Run(settings, Console.Out, cancel.Token);
            Console.WriteLine();
            Console.WriteLine(result.ToTable());
            if (jsonPath is not null)
            {
                var temporary = jsonPath + ".tmp";
                File.WriteAllText(temporary, result.ToJson());
                File.Move(temporary, jsonPath, overwrite: true);
                Console.WriteLine($"Wrote {jsonPath}");
            }

            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("quick start: cancelled.");
            return 130;
        }
    }

    /// <summary>Reads the command line into settings; throws <see cref="ArgumentException"/> naming a bad option.</summary>
    internal static (QuickStartSettings Settings, string? JsonPath) Parse(IReadOnlyList<string> args)
    {
        var settings = new QuickStartSettings();
        string? json = null;
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            settings = name switch
            {
                "--json" => settings,
                "--seed" => settings with { Seed = Int(name, value) },
                "--preset" => settings with { Preset = value.Trim().ToLowerInvariant() },
                "--steps" => settings with { Steps = Int(name, value) },
                "--lr" => settings with { LearningRate = Double(name, value) },
                "--drift" => settings with { BackgroundDrift = Double(name, value) },
                "--batch-size" => settings with { BatchSize = Int(name, value) },
                "--classes" => settings with { Classes = Int(name, value) },
                "--videos-per-class" => settings with { VideosPerClass = Int(name, value) },
                "--input" => settings with
                {
                    InputMode = value switch
                    {
                        "rgb" => InputMode.Rgb,
                        "difference" => InputMode.FrameDifference,
                        _ => throw new ArgumentException($"--input must be rgb or difference; got '{value}'."),
                    },
                },
                "--flip" => settings with
                {
                    FlipMode = value switch
                    {
                        "shared" => FlipMode.Shared,
                        "none" => FlipMode.None,
                        "independent" => FlipMode.Independent,
                        _ => throw new ArgumentException($"--flip must be shared, none or independent; got '{value}'."),
                    },
                },
                "--min-view-gap" => settings with { MinimumViewGap = Int(name, value) },
                "--local-weight" => settings with { LocalWeight = Double(name, value) },
                "--variants" => settings with { Variants = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--threads" => settings with { Threads = Int(name, value) },
                _ => throw new ArgumentException($"unknown option '{name}'."),
            };
            if (name == "--json")
            {
                json = Path.GetFullPath(value);
            }
        }

        return (settings, json);
    }

    private static double Double(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new ArgumentException($"{name} must be a number; got '{value}'.");

    private static int Int(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{name} must be an integer; got '{value}'.");
}
