using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ConstCl.Cli.Commands.Probe;
using ConstCl.Cli.Pictures;
using ConstCl.Datasets;
using ConstCl.Embedding;
using ConstCl.MLNet.Evaluation;
using ConstCl.Modeling;
using ConstCl.Runtime;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace ConstCl.Cli.Tests;

/// <summary>
/// <c>constcl probe</c> end to end on fixture datasets laid out as UCF101 and HMDB51 are distributed (all three official
/// splits) and on manifests, with a Tiny encoder on 1 clip × 1 crop of 8×32²: the numbers it prints and writes must equal
/// those computed in the test directly with ML.NET on embeddings computed directly with <see cref="VideoEmbedder"/>.
/// </summary>
public sealed class ProbeCommandTests : IDisposable
{
    private const int Seed = 4;
    private static readonly EvaluationClipSpec Spec = new() { ClipCount = 1, CropCount = 1, FramesPerClip = 8, FrameStride = 2, Size = 32 };
    private static readonly string[] TinyArgs = ["--clips", "1", "--crops", "1", "--size", "32", "--trainer-threads", "1", "--seed", "4"];
    /// <summary>Direct embeddings by path (xunit makes one instance per test, and each test uses one encoder).</summary>
    private readonly Dictionary<string, float[]?> _embedded = new(StringComparer.Ordinal);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "constcl-probecli-" + Guid.NewGuid().ToString("N"));

    public ProbeCommandTests()
    {
        TorchRuntime.Initialize(2);
        Directory.CreateDirectory(_root);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Ucf101_all_splits_equal_ML_NET_then_reruns_from_the_cache_and_survives_a_corrupt_entry()
    {
        string ucf = ProbeFixtures.WriteUcf101(Path.Combine(_root, "ucf"), brokenTrainVideo: true);
        string cache = Path.Combine(_root, "cache"), outDir = Path.Combine(_root, "out"), json = Path.Combine(_root, "ucf.json");
        string[] args = ["probe", "--random-init", "--preset", "tiny", "--ucf101", ucf, "--split", "all", "--cache", cache, "--out", outDir, "--json-out", json, .. TinyArgs];

        var (code, stdout, stderr) = Run(args);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("0 from cache", stderr, StringComparison.Ordinal);
        Assert.Contains("25 to compute", stderr, StringComparison.Ordinal);          // 24 real videos + the broken one, embedded once for three splits
        Assert.Contains("l2Regularization = 1", stdout, StringComparison.Ordinal);    // hyper-parameters are printed
        Assert.Contains("skipped: ", stdout, StringComparison.Ordinal);               // the broken video is reported, not fatal
        Assert.Contains("v_MoveDown_g25_c01.avi", File.ReadAllText(Path.Combine(outDir, "failures.csv")), StringComparison.Ordinal);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var splits = doc.RootElement.GetProperty("splits");
        Assert.Equal(3, splits.GetArrayLength());
        using var model = ConstClModel.Create(ConstClModelOptions.TinyPreset, Seed);
        using var encoder = VideoEncoder.FromModel(model);
        var embedder = new VideoEmbedder(encoder, new EmbeddingOptions { Clips = Spec, OnFailure = EmbeddingFailurePolicy.Mark });
        var top1 = new List<double>();
        for (int s = 1; s <= 3; s++)
        {
            var train = Ucf101.Load(ucf, s, DatasetSubset.Train);
            var test = Ucf101.Load(ucf, s, DatasetSubset.Test);
            var metrics = DirectLbfgs(embedder, train, test, out int trainUsed);
            var row = splits[s - 1];
            Assert.Equal(s, row.GetProperty("split").GetInt32());
            Assert.Equal(metrics.MicroAccuracy, row.GetProperty("top1").GetDouble(), 12);
            Assert.Equal(metrics.TopKAccuracy, row.GetProperty("top5").GetDouble(), 12);
            Assert.Equal(metrics.MacroAccuracy, row.GetProperty("meanClassAccuracy").GetDouble(), 12);
            Assert.Equal(3, row.GetProperty("classes").GetInt32());
            Assert.Equal(18, trainUsed);
            Assert.Equal(18, row.GetProperty("train").GetInt32());                    // the broken video is not counted
            Assert.Equal(6, row.GetProperty("test").GetInt32());
            Assert.Contains(Printed(metrics.MicroAccuracy, metrics.TopKAccuracy, metrics.MacroAccuracy), stdout, StringComparison.Ordinal);
            top1.Add(metrics.MicroAccuracy);

            // Files of the split: confusion counts equal ML.NET's, the card names the encoder and the protocol, the plot is a PNG.
            string dir = Path.Combine(outDir, $"split{s}");
            var confusion = File.ReadAllLines(Path.Combine(dir, "confusion.csv"));
            Assert.Equal("true\\predicted,MoveDown,MoveLeft,MoveRight", confusion[0]);
            for (int t = 0; t < 3; t++)
            {
                Assert.Equal(ProbeFixtures.UcfClasses[t] + "," + string.Join(",", metrics.ConfusionMatrix.Counts[t].Select(x => ((int)x).ToString(CultureInfo.InvariantCulture))), confusion[t + 1]);
            }

            using var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "protocol.json")));
            Assert.Equal(encoder.Hash, card.RootElement.GetProperty("encoderHash").GetString());
            Assert.Equal(8, card.RootElement.GetProperty("framesPerClip").GetInt32());
            Assert.Equal(32, card.RootElement.GetProperty("size").GetInt32());
            Assert.Equal("LbfgsMaximumEntropy", card.RootElement.GetProperty("method").GetString());
            Assert.Equal("Res5", card.RootElement.GetProperty("stage").GetString());
            Assert.Equal(1, card.RootElement.GetProperty("skippedVideos").GetInt32());                 // the broken video is in every training list
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(dir, "confusion.png")).Take(4));
            Assert.True(File.Exists(Path.Combine(dir, "per_class.csv")) && File.Exists(Path.Combine(dir, "protocol.md")) && File.Exists(Path.Combine(dir, "metrics.json")));

            // Pictures: the embedding map, the retrieval view (one query row per class, 5 neighbours) and the report linking them.
            Assert.Equal((EmbeddingMapPlot.Width, EmbeddingMapPlot.Height), PictureAssert.DecodesAsPng(Path.Combine(dir, EmbeddingMapPlot.FileName)));
            Assert.Equal(RetrievalView.Size(rows: 3, k: 5), PictureAssert.DecodesAsPng(Path.Combine(dir, RetrievalView.FileName)));
            var links = PictureAssert.ReportLinksResolve(Path.Combine(dir, ProbeReportPage.FileName));
            Assert.Subset(links.ToHashSet(), new HashSet<string> { "confusion.png", "embedding-map.png", "retrieval.png", "metrics.json", "per_class.csv", "protocol.md" });

            // Retrieval recall@k equals the library's on the directly computed embeddings; k above the 18 training videos is left out.
            List<LabeledEmbedding> Direct(VideoDataset d) => d.Entries.Where(e => _embedded[e.Path] is not null).Select(e => new LabeledEmbedding(e.ClassIndex!.Value, _embedded[e.Path]!)).ToList();
            var recall = RetrievalRecall.Compute(Direct(train), Direct(test), RetrievalRecall.StandardK);
            var written = row.GetProperty("recall");
            Assert.Equal(["1", "5", "10"], written.EnumerateObject().Select(p => p.Name));
            foreach (var (k, value) in recall)
            {
                Assert.Equal(value, written.GetProperty(k.ToString(CultureInfo.InvariantCulture)).GetDouble(), 12);
            }
        }

        var rootLinks = PictureAssert.ReportLinksResolve(Path.Combine(outDir, ProbeReportPage.FileName));
        Assert.Subset(rootLinks.ToHashSet(), new HashSet<string> { "split1/report.html", "split2/report.html", "split3/report.html", "summary.json" });
        Assert.Equal(3, doc.RootElement.GetProperty("recall").EnumerateObject().Count());
        Assert.Equal(top1.Average(), doc.RootElement.GetProperty("top1").GetDouble(), 12);
        Assert.Equal(54, doc.RootElement.GetProperty("train").GetInt32());

        // Second run, kNN: every embedding comes from the cache, nothing is decoded again.
        var (code2, stdout2, stderr2) = Run(["probe", "--random-init", "--preset", "tiny", "--ucf101", ucf, "--split", "1", "--cache", cache, "--knn", "3", .. TinyArgs]);
        Assert.True(code2 == 0, stderr2);
        Assert.Contains("24 from cache", stderr2, StringComparison.Ordinal);
        Assert.Contains("1 to compute", stderr2, StringComparison.Ordinal);          // only the broken video, which has no entry
        Assert.Contains("kNN (k = 3, Majority)", stdout2, StringComparison.Ordinal);

        // Third run after damaging one cache entry: it is recomputed, the numbers are the same as the first run's.
        var entry = Directory.GetFiles(cache, "*.emb", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var bytes = File.ReadAllBytes(entry);
        bytes[^40] ^= 0xFF;
        File.WriteAllBytes(entry, bytes);
        string json3 = Path.Combine(_root, "ucf3.json");
        var (code3, _, stderr3) = Run(["probe", "--random-init", "--preset", "tiny", "--ucf101", ucf, "--split", "all", "--cache", cache, "--json-out", json3, .. TinyArgs]);
        Assert.True(code3 == 0, stderr3);
        Assert.Contains("23 from cache", stderr3, StringComparison.Ordinal);
        Assert.Contains("2 to compute", stderr3, StringComparison.Ordinal);         // the damaged entry and the broken video
        using var doc3 = JsonDocument.Parse(File.ReadAllText(json3));
        for (int s = 0; s < 3; s++)
        {
            Assert.Equal(splits[s].GetProperty("top1").GetDouble(), doc3.RootElement.GetProperty("splits")[s].GetProperty("top1").GetDouble());
            Assert.Equal(splits[s].GetProperty("top5").GetDouble(), doc3.RootElement.GetProperty("splits")[s].GetProperty("top5").GetDouble());
        }

        // Fourth run at an earlier stage: another encoder for the cache (nothing reused), a 64-wide embedding, named on the card.
        string outDir4 = Path.Combine(_root, "out4");
        var (code4, _, stderr4) = Run(["probe", "--random-init", "--preset", "tiny", "--ucf101", ucf, "--split", "1", "--cache", cache, "--out", outDir4, "--stage", "res3", .. TinyArgs]);
        Assert.True(code4 == 0, stderr4);
        Assert.Contains("0 from cache", stderr4, StringComparison.Ordinal);
        Assert.Contains("stage Res3, D = 64", stderr4, StringComparison.Ordinal);
        using var card4 = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir4, "protocol.json")));
        Assert.Equal("Res3", card4.RootElement.GetProperty("stage").GetString());
        Assert.Equal(64, card4.RootElement.GetProperty("embeddingDimension").GetInt32());
        using var res3 = VideoEncoder.FromModel(model, BackboneBranch.Global, BackboneStage.Res3);
        Assert.Equal(res3.Hash, card4.RootElement.GetProperty("encoderHash").GetString());
    }

    [Fact]
    public void Hmdb51_all_splits_equal_ML_NET()
    {
        string hmdb = ProbeFixtures.WriteHmdb51(Path.Combine(_root, "hmdb"));
        string json = Path.Combine(_root, "hmdb.json");
        var (code, stdout, stderr) = Run(["probe", "--random-init", "--preset", "tiny", "--hmdb51", hmdb, "--split", "all", "--no-cache", "--json-out", json, .. TinyArgs]);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("(cache off)", stderr, StringComparison.Ordinal);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        using var model = ConstClModel.Create(ConstClModelOptions.TinyPreset, Seed);
        using var encoder = VideoEncoder.FromModel(model);
        var embedder = new VideoEmbedder(encoder, new EmbeddingOptions { Clips = Spec });
        for (int s = 1; s <= 3; s++)
        {
            var metrics = DirectLbfgs(embedder, Hmdb51.Load(hmdb, s, DatasetSubset.Train), Hmdb51.Load(hmdb, s, DatasetSubset.Test), out _);
            var row = doc.RootElement.GetProperty("splits")[s - 1];
            Assert.Equal(metrics.MicroAccuracy, row.GetProperty("top1").GetDouble(), 12);
            Assert.Equal(metrics.MacroAccuracy, row.GetProperty("meanClassAccuracy").GetDouble(), 12);
            Assert.Equal(9, row.GetProperty("train").GetInt32());
            Assert.Equal(6, row.GetProperty("test").GetInt32());
            Assert.Contains(Printed(metrics.MicroAccuracy, metrics.TopKAccuracy, metrics.MacroAccuracy), stdout, StringComparison.Ordinal);
        }

        Assert.Contains("move_right", stdout, StringComparison.Ordinal);   // the per-class table
    }

    [Fact]
    public void Manifests_with_an_encoder_file_equal_ML_NET_and_an_unknown_test_class_is_named()
    {
        var files = new SyntheticActions(new SyntheticActionsOptions { Classes = 3, VideosPerClass = 4, Frames = 16, Size = 32, Seed = 6, TestFraction = 0.5 })
            .WriteFiles(Path.Combine(_root, "videos"));
        string encoderPath = Path.Combine(_root, "tiny.constcl");
        using (var m = ConstClModel.Create(ConstClModelOptions.Tiny, 9))
        using (var e = VideoEncoder.FromModel(m))
        {
            e.Save(encoderPath);
        }

        string json = Path.Combine(_root, "m.json"), outDir = Path.Combine(_root, "mout");
        var (code, stdout, stderr) = Run(["probe", "--model", encoderPath, "--train-data", files.TrainManifest, "--test-data", files.TestManifest, "--cache", Path.Combine(_root, "cache"), "--out", outDir, "--json-out", json, .. TinyArgs]);
        Assert.True(code == 0, stderr + stdout);
        using var encoder = VideoEncoder.Load(encoderPath);
        var embedder = new VideoEmbedder(encoder, new EmbeddingOptions { Clips = Spec });
        var train = VideoManifest.Read(files.TrainManifest);
        var metrics = DirectLbfgs(embedder, train, VideoManifest.Read(files.TestManifest, train.ClassNames), out _);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(metrics.MicroAccuracy, doc.RootElement.GetProperty("top1").GetDouble(), 12);
        Assert.Equal(metrics.TopKAccuracy, doc.RootElement.GetProperty("top5").GetDouble(), 12);
        Assert.Equal(metrics.MacroAccuracy, doc.RootElement.GetProperty("meanClassAccuracy").GetDouble(), 12);
        Assert.Equal(6, doc.RootElement.GetProperty("train").GetInt32());
        Assert.Equal(6, doc.RootElement.GetProperty("test").GetInt32());
        Assert.Equal(3, doc.RootElement.GetProperty("classes").GetInt32());
        Assert.True(File.Exists(Path.Combine(outDir, "confusion.png")));

        // --json (from the cache): the document --json-out wrote, on standard output and alone there; the text report on standard error.
        var (jsonCode, printed, jsonErr) = Run(["probe", "--model", encoderPath, "--train-data", files.TrainManifest, "--test-data", files.TestManifest, "--cache", Path.Combine(_root, "cache"), "--json", .. TinyArgs]);
        Assert.True(jsonCode == ExitCodes.Success, jsonErr);
        Assert.Equal(File.ReadAllText(json).Trim(), printed.Trim());
        using (var fromStdout = JsonDocument.Parse(printed))
        {
            Assert.Equal(metrics.MicroAccuracy, fromStdout.RootElement.GetProperty("top1").GetDouble(), 12);
        }

        Assert.Contains("top-1", jsonErr, StringComparison.Ordinal);

        // A test label the training manifest does not have: a clear error naming it, exit 1.
        string bad = Path.Combine(files.Directory, "bad-test.csv");
        File.WriteAllLines(bad, File.ReadAllLines(files.TestManifest).Append(File.ReadAllLines(files.TestManifest)[1].Split(',')[0] + ",jump_around"));
        var (badCode, _, badErr) = Run(["probe", "--model", encoderPath, "--train-data", files.TrainManifest, "--test-data", bad, "--no-cache", .. TinyArgs]);
        Assert.Equal(1, badCode);
        Assert.Contains("'jump_around'", badErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_arguments_give_clear_errors()
    {
        string missing = Path.Combine(_root, "no-such-root");
        var (code, _, err) = Run(["probe", "--random-init", "--ucf101", missing, "--no-cache"]);
        Assert.Equal(1, code);
        Assert.Contains("no-such-root", err, StringComparison.Ordinal);
        Assert.Contains("does not exist", err, StringComparison.Ordinal);
        (code, _, err) = Run(["probe", "--random-init", "--hmdb51", _root, "--split", "4"]);
        Assert.Equal(2, code);
        Assert.Contains("--split must be 1, 2, 3 or all", err, StringComparison.Ordinal);
        Assert.Equal(2, Run(["probe", "--random-init", "--model", "x.constcl", "--ucf101", _root]).Code);
        Assert.Equal(2, Run(["probe", "--random-init", "--ucf101", _root, "--hmdb51", _root]).Code);
        Assert.Equal(2, Run(["probe", "--random-init", "--ucf101", _root, "--trainer", "adam"]).Code);
        Assert.Equal(2, Run(["probe", "--random-init", "--preset", "huge", "--ucf101", _root]).Code);
    }

    [Trait("Category", "Slow")]   // bench: a timed probe fit
    [Fact]
    public void Bench_probe_with_a_small_n_runs_and_writes_json()
    {
        string json = Path.Combine(_root, "bench.json");
        var (code, stdout, stderr) = Run(["bench", "probe", "--n", "300", "--dim", "32", "--classes", "5", "--test", "100", "--noise", "1", "--trainer-threads", "1", "--json-out", json]);
        Assert.True(code == 0, stderr);
        Assert.Contains("fit 300 × 32, 5 classes", stdout, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(300, root.GetProperty("n").GetInt32());
        Assert.Equal(32, root.GetProperty("dim").GetInt32());
        Assert.True(root.GetProperty("fitSeconds").GetDouble() > 0);
        // Unit-length class means with noise of length 1 in 32-D are well separated: a working probe is far above chance (0.2).
        Assert.InRange(root.GetProperty("top1").GetDouble(), 0.9, 1.0);
        Assert.Equal("LbfgsMaximumEntropy", root.GetProperty("trainer").GetString());
        Assert.Equal(2, Run(["bench", "probe", "--n", "3", "--classes", "5"]).Code);

        // --json: the same document on standard output and nothing else there; the text report goes to standard error.
        var (jsonCode, printed, jsonErr) = Run(["bench", "probe", "--n", "300", "--dim", "32", "--classes", "5", "--test", "100", "--noise", "1", "--trainer-threads", "1", "--json"]);
        Assert.Equal(ExitCodes.Success, jsonCode);
        using var fromStdout = JsonDocument.Parse(printed);
        Assert.Equal(300, fromStdout.RootElement.GetProperty("n").GetInt32());
        Assert.Equal(root.GetProperty("top1").GetDouble(), fromStdout.RootElement.GetProperty("top1").GetDouble(), 12);
        Assert.Contains("fit 300 × 32, 5 classes", jsonErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Confusion_plot_of_101_classes_names_every_class_on_a_canvas_that_grows_with_them()
    {
        // UCF101-sized class list, UCF101-long names: every class keeps its name, in a cell of at least 14 px.
        var names = Enumerable.Range(0, 101).Select(i => $"HandstandPushups{i}").ToArray();
        var layout = ConfusionMatrixLayout.For(names);
        Assert.True(layout.Names);
        Assert.Equal(1, layout.LabelStep);
        Assert.True(layout.Cell >= ConfusionMatrixLayout.MinimumCell);
        Assert.True(layout.FontSize >= 8 && layout.FontSize <= layout.Cell);
        Assert.True(layout.LabelSpace >= 0.6 * layout.FontSize * names[100].Length);     // the longest name fits beside the axis
        Assert.True(layout.Width >= (101 * layout.Cell) + layout.LabelSpace && layout.Height >= (101 * layout.Cell) + layout.LabelSpace);
        var many = ConfusionMatrixLayout.For(Enumerable.Range(0, 400).Select(i => $"c{i}").ToArray());
        Assert.False(many.Names);                                                          // beyond 150 classes: indices, every few
        Assert.True(many.LabelStep > 1);

        var labels = Enumerable.Range(0, 202).Select(i => i % 101).ToArray();
        var scores = labels.Select(y => Enumerable.Range(0, 101).Select(c => c == (y + (y % 7 == 0 ? 1 : 0)) % 101 ? 1f : 0f).ToArray()).ToArray();
        var result = ConstCl.MLNet.Evaluation.ClassificationResult.FromScores("test", names, 0, labels, scores, []);
        string png = Path.Combine(_root, "c.png");
        ConfusionMatrixPlot.Write(png, result, "101 classes");
        Assert.Equal((layout.Width, layout.Height), PictureAssert.DecodesAsPng(png));
    }

    [Fact]
    public void Retrieval_queries_are_the_first_test_video_of_classes_spread_over_the_list()
    {
        int[] testLabels = [2, 0, 0, 1, 2, 4, 4];
        Assert.Equal([1, 3, 0, 5], RetrievalView.ChooseQueries(testLabels, classes: 5, rows: 8));     // class 3 has no test video
        Assert.Equal([1, 0], RetrievalView.ChooseQueries(testLabels, classes: 5, rows: 2));          // classes 0 and 2 of 0, 1, 2, 4
    }

    /// <summary>Embeds both sets directly, then fits ML.NET's LbfgsMaximumEntropy the ordinary way and evaluates it.</summary>
    private MulticlassClassificationMetrics DirectLbfgs(VideoEmbedder embedder, VideoDataset train, VideoDataset test, out int trainUsed)
    {
        var ml = new MLContext(Seed);
        IDataView View(VideoDataset ds, out int used)
        {
            var todo = ds.Entries.Select(e => e.Path).Where(p => !_embedded.ContainsKey(p)).ToList();
            foreach (var e in embedder.EmbedMany(todo))
            {
                _embedded[e.Path] = e.Vector;                 // the splits share videos: embed each once per test
            }

            var rows = ds.Entries
                .Where(e => _embedded[e.Path] is not null)
                .Select(e => new Row { Label = e.Label!, Features = _embedded[e.Path]! })
                .ToList();
            used = rows.Count;
            return ml.Data.LoadFromEnumerable(rows);
        }

        var keys = ml.Data.LoadFromEnumerable(train.ClassNames.Select(n => new KeyRow { Label = n }));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyData: keys)
            .Append(ml.Transforms.NormalizeMeanVariance("Features", fixZero: false))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                L2Regularization = 1, L1Regularization = 0, OptimizationTolerance = 1e-5f, MaximumNumberOfIterations = 500, HistorySize = 20, NumberOfThreads = 1,
            }));
        var model = pipeline.Fit(View(train, out trainUsed));
        // ML.NET's top-k counter indexes past the end when k exceeds the class count: with 3 classes top-3 = top-5 = 1.
        return ml.MulticlassClassification.Evaluate(model.Transform(View(test, out _)), topKPredictionCount: Math.Min(5, train.ClassNames.Count));
    }

    private static string Printed(double top1, double top5, double meanClass) =>
        string.Create(CultureInfo.InvariantCulture, $"top-1 {top1 * 100:F2} %, top-5 {top5 * 100:F2} %, mean class accuracy {meanClass * 100:F2} %");

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRun.Invoke(args);

    private sealed class Row
    {
        public string Label { get; set; } = "";

        [VectorType(256)]
        public float[] Features { get; set; } = [];
    }

    private sealed class KeyRow
    {
        public string Label { get; set; } = "";
    }
}
