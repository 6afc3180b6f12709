using System.Globalization;
using ConstCl.Augmentation;
using ConstCl.Modeling;

namespace QuickStart;

/// <summary>
/// <c>dotnet run --project examples/QuickStart -c Release [-- --json FILE] [--seed N] [--steps N] …</c>: pre-trains
/// Tiny ConST-CL and CVRL encoders on synthetic actions and compares their ML.NET linear probes with random weights and chance.
/// </summary>
internal static class Program
{
    private const string Usage = """
        ConstCl quick start: synthetic actions → Tiny ConST-CL / CVRL pre-training → ML.NET linear probe.

        Options (defaults in parentheses):
          --json FILE              also write the table as JSON
          --seed N                 seed of data, weights, loader and probe (1)
          --steps N                pre-training steps per encoder (250)
          --batch-size N           videos per step (16)
          --classes N              motion classes, 2..12 (8)
          --videos-per-class N     videos per class, a quarter held out for testing (48)
          --input rgb|difference   what the network sees (difference: consecutive-frame differences)
          --flip shared|none|independent   how the two views are flipped (shared)
          --min-view-gap N         smallest start gap between the two views, in frames (8)
          --local-weight W         ω of the ConST-CL encoder (0.01)
          --variants LIST          rows to compute, from constcl,cvrl,random (all)
          --threads N              libtorch threads (2)
        """;

    /// <summary>Entry point; returns 0 on success, 2 on bad arguments.</summary>
    public static int Main(string[] args)
    {
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
            if (name is "-h" or "--help")
            {
                throw new ArgumentException("usage:");
            }

            string value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            settings = name switch
            {
                "--json" => settings,
                "--seed" => settings with { Seed = Int(name, value) },
                "--steps" => settings with { Steps = Int(name, value) },
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
                "--local-weight" => settings with { LocalWeight = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) ? w : throw new ArgumentException($"--local-weight must be a number; got '{value}'.") },
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

    private static int Int(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{name} must be an integer; got '{value}'.");
}
