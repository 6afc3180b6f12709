using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ConstCl.MLNet.Evaluation;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>
/// <c>constcl bench probe [--n 9537] [--dim 2048] [--classes 101] [--test N] [--noise σ] [--trainer lbfgs|sdca] [--seed S] [--json] [--json-out FILE]</c>:
/// times <see cref="LinearProbe"/>'s fit on synthetic embeddings shaped like UCF101 split 1 (9,537 training videos, 101
/// classes, D = 2,048 as the Paper encoder) and reports the accuracy on a held-out set. Data: one random unit-length mean
/// per class; an example is its class mean plus isotropic Gaussian noise of total length ≈ σ, then L2-normalised (as real
/// embeddings are); classes take turns, so they are balanced.
/// </summary>
internal static class BenchProbeCommand
{
    /// <summary>Builds the command.</summary>
    internal static Command Create()
    {
        var n = new Option<int>("--n") { Description = "Training examples (UCF101 split 1: 9537).", DefaultValueFactory = _ => 9537 };
        var dim = new Option<int>("--dim") { Description = "Embedding width D (Paper encoder: 2048).", DefaultValueFactory = _ => 2048 };
        var classes = new Option<int>("--classes") { Description = "Classes (UCF101: 101).", DefaultValueFactory = _ => 101 };
        var test = new Option<int>("--test") { Description = "Held-out examples (UCF101 split 1: 3783).", DefaultValueFactory = _ => 3783 };
        var noise = new Option<double>("--noise") { Description = "σ, length of the noise relative to the unit class means.", DefaultValueFactory = _ => 10.0 };
        var trainer = new Option<string>("--trainer") { Description = "lbfgs (LbfgsMaximumEntropy) or sdca (SdcaMaximumEntropy).", DefaultValueFactory = _ => "lbfgs" }.OneOf("lbfgs", "sdca");
        var l2 = new Option<float?>("--l2") { Description = "L2 weight (default: the probe's)." };
        var iterations = new Option<int?>("--max-iterations") { Description = "Iteration limit (default: the probe's)." };
        var tolerance = new Option<float?>("--tolerance") { Description = "L-BFGS tolerance (default: the probe's)." };
        var trainerThreads = new Option<int?>("--trainer-threads") { Description = "Trainer threads (default: all cores)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the data and of the trainer.", DefaultValueFactory = _ => 0 };
        var json = ResultOutput.Create("the result");
        var command = new Command("probe", "Linear-probe fit time on UCF101-sized synthetic embeddings.")
        {
            n, dim, classes, test, noise, trainer, l2, iterations, tolerance, trainerThreads, seed, json.Json, json.JsonOut,
        };
        CancellableAction.Set(command, (parse, cancellationToken) =>
        {
            var stdout = json.Text(parse);
            var stderr = parse.InvocationConfiguration.Error;
            int count = parse.GetValue(n), d = parse.GetValue(dim), k = parse.GetValue(classes), held = parse.GetValue(test);
            if (count < k || k < 2 || d < 1 || held < 1 || !(parse.GetValue(noise) >= 0))
            {
                stderr.WriteLine("constcl bench probe: need --classes ≥ 2, --n ≥ --classes, --dim ≥ 1, --test ≥ 1 and --noise ≥ 0.");
                return 2;
            }

            ProbeTrainer kind;
            switch (parse.GetValue(trainer)!.Trim().ToLowerInvariant())
            {
                case "lbfgs": kind = ProbeTrainer.Lbfgs; break;
                case "sdca": kind = ProbeTrainer.Sdca; break;
                default:
                    stderr.WriteLine($"constcl bench probe: --trainer must be lbfgs or sdca; got '{parse.GetValue(trainer)}'.");
                    return 2;
            }

            LinearProbe probe;
            try
            {
                probe = new LinearProbe(new LinearProbeOptions
                {
                    Trainer = kind,
                    L2Regularization = parse.GetValue(l2),
                    MaximumNumberOfIterations = parse.GetValue(iterations),
                    OptimizationTolerance = parse.GetValue(tolerance) ?? new LinearProbeOptions().OptimizationTolerance,
                    NumberOfThreads = parse.GetValue(trainerThreads),
                    Seed = parse.GetValue(seed),
                });
            }
            catch (ArgumentException ex)
            {
                stderr.WriteLine($"constcl bench probe: {ex.Message}");
                return 2;
            }

            json.EnsureWritable(parse);
            var c = CultureInfo.InvariantCulture;
            stderr.WriteLine(string.Create(c, $"constcl bench probe: generating {count} + {held} examples of {d} values, {k} classes, noise {parse.GetValue(noise)}"));
            var (train, heldOut) = Generate(count, held, d, k, parse.GetValue(noise), parse.GetValue(seed));
            var names = Enumerable.Range(0, k).Select(i => "class" + i.ToString(c)).ToArray();
            cancellationToken.ThrowIfCancellationRequested();   // Ctrl+C before the fit (ML.NET's fit cannot be interrupted; the grace covers it)
            stderr.WriteLine($"constcl bench probe: fitting {probe.Options.TrainerName} …");
            var result = probe.Evaluate(train, heldOut, names);
            var bench = new ProbeBenchResult(probe.Options.TrainerName, count, d, k, held, parse.GetValue(noise), parse.GetValue(seed), probe.LastFitSeconds, result.Top1, result.Top5,
                probe.Options.Describe().ToDictionary(kv => kv.Key, kv => kv.Value));
            stdout.WriteLine($"{bench.Trainer}: {string.Join(", ", probe.Options.Describe().Select(kv => $"{kv.Key} = {kv.Value}"))}");
            stdout.WriteLine(string.Create(c, $"fit {count} × {d}, {k} classes: {bench.FitSeconds:F2} s; held-out top-1 {bench.Top1 * 100:F2} %, top-5 {bench.Top5 * 100:F2} % ({held} examples)"));
            json.Write(parse, JsonSerializer.Serialize(bench, new JsonSerializerOptions { WriteIndented = true }));

            return 0;
        });
        return command;
    }

    /// <summary>Gaussian clusters around random unit means, L2-normalised; example i belongs to class i mod <paramref name="classes"/>.</summary>
    internal static (List<LabeledEmbedding> Train, List<LabeledEmbedding> Test) Generate(int train, int test, int dim, int classes, double noise, int seed)
    {
        var rng = new Random(seed);
        var means = new float[classes][];
        for (int c = 0; c < classes; c++)
        {
            means[c] = Normalize(Enumerable.Range(0, dim).Select(_ => Gaussian(rng)).ToArray());
        }

        double scale = noise / Math.Sqrt(dim);
        List<LabeledEmbedding> Make(int count)
        {
            var list = new List<LabeledEmbedding>(count);
            for (int i = 0; i < count; i++)
            {
                int c = i % classes;
                var v = new float[dim];
                for (int d = 0; d < dim; d++)
                {
                    v[d] = (float)(means[c][d] + (scale * Gaussian(rng)));
                }

                list.Add(new LabeledEmbedding(c, Normalize(v)));
            }

            return list;
        }

        var trainSet = Make(train);
        return (trainSet, Make(test));
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static float[] Normalize(double[] v) => Normalize(v.Select(x => (float)x).ToArray());

    private static float[] Normalize(float[] v)
    {
        double norm = Math.Sqrt(v.Sum(x => (double)x * x));
        double s = 1 / Math.Max(norm, 1e-12);
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (float)(v[i] * s);
        }

        return v;
    }
}
