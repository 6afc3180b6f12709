// The learning harness of issue 11: pre-trains the project's own model with the project's own loss, optimisers, schedule,
// loader and synthetic data, then probes the frozen encoder (ML.NET LbfgsMaximumEntropy on standardised 4-clip
// embeddings) on the motion class and on the object's outline, next to the same network with random weights.
// Every number in docs/training.md's sweep tables came from it. Arguments are key=value; see tools/LearningHarness/README.md.
// An investigation tool, not part of the library: it favours one readable script over the library's structure.
using System.Diagnostics;
using System.Globalization;
using ConstCl.Augmentation;
using ConstCl.Data;
using ConstCl.Datasets;
using ConstCl.Embedding;
using ConstCl.MLNet.Evaluation;
using ConstCl.Modeling;
using ConstCl.Runtime;
using ConstCl.Training;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var kv = args.Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a.Length > 1 ? a[1] : "1");
string S(string k, string d) => kv.TryGetValue(k, out var v) ? v : d;
int I(string k, int d) => int.Parse(S(k, d.ToString()));
double D(string k, double d) => double.Parse(S(k, d.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

var preset = S("preset", "small");
var seed = I("seed", 1);
var threads = I("threads", 2);
TorchRuntime.Initialize(threads);
var baseOptions = preset switch { "tiny" => PretrainingOptions.Tiny, "tiny-official" => PretrainingOptions.TinyOfficial, "paper" => PretrainingOptions.Paper, _ => PretrainingOptions.Small };
var model = baseOptions.Model;
var bb = model.Backbone;
if (kv.ContainsKey("input")) bb = bb with { InputMode = S("input", "diff") == "rgb" ? InputMode.Rgb : InputMode.FrameDifference };
if (kv.ContainsKey("zeroinit")) bb = bb with { ZeroInitResidual = I("zeroinit", 1) == 1 };
if (kv.ContainsKey("widths")) bb = bb with { StageWidths = S("widths", "").Split(',').Select(int.Parse).ToArray() };
if (kv.ContainsKey("stem")) bb = bb with { StemChannels = I("stem", 16) };
if (kv.ContainsKey("tstrides")) bb = bb with { StageTemporalStrides = S("tstrides", "").Split(',').Select(int.Parse).ToArray() };
if (kv.ContainsKey("pool")) bb = bb with { StemMaxPool = I("pool", 1) == 1 };
if (kv.ContainsKey("blocks")) { var bl = S("blocks", "").Split(',').Select(int.Parse).ToArray(); bb = bb with { StageBlocks = bl, TemporalKernels = bb.TemporalKernels.Select((k, i) => (IReadOnlyList<int>)Enumerable.Repeat(k[0] == 1 && i == 0 ? 1 : 3, bl[i]).ToArray()).ToArray() }; }
if (kv.ContainsKey("tk")) { var tk = S("tk", "").Split(',').Select(int.Parse).ToArray(); bb = bb with { TemporalKernels = bb.TemporalKernels.Select((k, i) => (IReadOnlyList<int>)Enumerable.Repeat(tk[i], k.Count).ToArray()).ToArray() }; }
if (kv.ContainsKey("block")) bb = bb with { Block = S("block", "bottleneck") == "basic" ? BlockKind.Basic : BlockKind.Bottleneck };
if (kv.ContainsKey("expansion")) bb = bb with { Expansion = I("expansion", 4) };
if (kv.ContainsKey("stemstride")) bb = bb with { StemStride = S("stemstride", "").Split(',').Select(int.Parse).ToArray() };
// deadzone=L: frame differences within ±L levels of 255 become 0 (ResNet3dYOptions.FrameDifferenceDeadZone = 2L/255 at the −1..1 input range).
if (kv.ContainsKey("deadzone")) bb = bb with { FrameDifferenceDeadZone = 2 * D("deadzone", 0) / 255 };
if (kv.ContainsKey("stemk")) bb = bb with { StemKernel = S("stemk", "").Split(',').Select(int.Parse).ToArray() };
model = model with { Backbone = bb };
if (kv.ContainsKey("headw")) model = model with { GlobalHead = model.GlobalHead with { HiddenChannels = I("headw", 256) } };
if (kv.ContainsKey("out")) model = model with { GlobalHead = model.GlobalHead with { OutputChannels = I("out", 128) } };
if (kv.ContainsKey("hidden")) model = model with { GlobalHead = model.GlobalHead with { HiddenLayers = I("hidden", 1) } };
if (kv.ContainsKey("size")) model = model with { InputSize = I("size", 64) };
if (kv.ContainsKey("frames")) model = model with { InputFrames = I("frames", 8) };

var steps = I("steps", baseOptions.Steps);
var batch = I("batch", baseOptions.BatchSize);
var opt = S("opt", baseOptions.Optimizer.ToString().ToLowerInvariant());
var options = baseOptions with
{
    Steps = steps,
    BatchSize = batch,
    WarmupSteps = (int)Math.Round(D("warmup", (double)baseOptions.WarmupSteps / baseOptions.Steps) * steps),
    Optimizer = opt switch { "sgd" => OptimizerKind.Sgd, "lars" => OptimizerKind.Lars, _ => OptimizerKind.AdamW },
    BaseLearningRate = kv.ContainsKey("lr") ? D("lr", 0) : baseOptions.BaseLearningRate,
    LearningRateScaling = kv.ContainsKey("lr") ? LearningRateScaling.None : baseOptions.LearningRateScaling,
    WeightDecay = D("wd", baseOptions.WeightDecay),
    GradientClipNorm = kv.ContainsKey("clip") ? (D("clip", 0) > 0 ? D("clip", 0) : null) : baseOptions.GradientClipNorm,
    Seed = seed,
    Threads = threads,
    LogEvery = I("logevery", 10),
    CheckpointEvery = steps,
    KeepCheckpoints = 1,
    Model = model,
    // revneg=1: view B played backwards is an extra negative (ConstClObjectiveOptions.TimeReversedNegatives); revneg=0 turns a preset's off.
    Objective = baseOptions.Objective with
    {
        LocalWeight = D("local", baseOptions.Objective.LocalWeight),
        GlobalTemperature = D("tau", baseOptions.Objective.GlobalTemperature),
        TimeReversedNegatives = kv.ContainsKey("revneg") ? I("revneg", 0) != 0 : baseOptions.Objective.TimeReversedNegatives,
    },
    MinimumViewGap = I("gap", baseOptions.MinimumViewGap),
};
var aug = S("aug", "default") switch
{
    "official" => AugmentationOptions.Official,
    "colour" => AugmentationOptions.Official with { BlurProbabilityView1 = 0, BlurProbabilityView2 = 0, SolarizeProbabilityView1 = 0, SolarizeProbabilityView2 = 0 },
    "crop" => AugmentationOptions.Official with { BlurProbabilityView1 = 0, BlurProbabilityView2 = 0, SolarizeProbabilityView1 = 0, SolarizeProbabilityView2 = 0, ColorJitterProbability = 0, GrayscaleProbability = 0 },
    _ => options.Augmentation,
};
if (kv.ContainsKey("flip")) aug = aug with { FlipMode = S("flip", "shared") switch { "none" => FlipMode.None, "independent" => FlipMode.Independent, _ => FlipMode.Shared } };
if (kv.ContainsKey("cropmin")) aug = aug with { CropAreaMin = (float)D("cropmin", 0.3) };
if (kv.ContainsKey("aspect")) aug = aug with { CropAspectMin = (float)D("aspect", 0.75), CropAspectMax = (float)(1 / D("aspect", 0.75)) };
if (kv.ContainsKey("jitter")) aug = aug with { ColorJitterProbability = D("jitter", 0.8) };
options = options with { Augmentation = aug };
options.Validate();

var classes = I("classes", 8);
// The synthetic videos: the pre-training set and (probevpc=) the probe set differ only in count and data seed.
SyntheticActions Rendering(int videosPerClass, int dataSeed) => new(new SyntheticActionsOptions
{
    Classes = classes,
    VideosPerClass = videosPerClass,
    Frames = I("vframes", 32),
    Size = I("vsize", 64),
    Seed = dataSeed,
    BackgroundDrift = D("drift", 0),
});
var dataset = Rendering(I("vpc", 48), I("dataseed", seed));
var clock = Stopwatch.StartNew();
var train = dataset.Generate(DatasetSubset.Train).ToList();
var test = dataset.Generate(DatasetSubset.Test).ToList();
// jpeg=Q: every frame through a JPEG encode/decode at quality Q (4:2:0 chroma), as a lossy video file would deliver it.
var jpegQuality = I("jpeg", 0);
var framesOf = new System.Collections.Concurrent.ConcurrentDictionary<SyntheticVideo, ConstCl.Video.FrameSequence>();
// blur=K: then a K×K Gaussian blur of every frame (a denoising low-pass before the network differences frames).
var blurKernel = I("blur", 0);
// codec=NAME (e.g. mpeg4, as UCF101's XviD files): every video through ffmpeg at quality cq=Q (-q:v, 2 best .. 31), then
// decoded back, so inter-frame coding (P-frames, motion compensation) adds its noise as a real lossy file would.
var codec = S("codec", "");
// probevpc=N: probe on a second, larger rendering (N videos per class, data seed dataseed + 7919) that pre-training never
// sees, instead of the pre-training set's own train/test split (96 test videos: ±5 points), to shrink the probe's noise.
var probeSet = kv.ContainsKey("probevpc") ? Rendering(I("probevpc", 160), I("dataseed", seed) + 7919) : null;
var probeTrain = probeSet is null ? train : probeSet.Generate(DatasetSubset.Train).ToList();
var probeTest = probeSet is null ? test : probeSet.Generate(DatasetSubset.Test).ToList();
if (probeSet is not null) Console.Error.WriteLine($"probe set: {probeTrain.Count}/{probeTest.Count} videos (data seed {I("dataseed", seed) + 7919})");
// extraprobes=SEED:VPC,...,own: also probe on these renderings (data seed SEED, VPC videos per class; `own` is the
// pre-training set's own split), each keyed /sSEED (or /own), to see how much a gain depends on the probe set.
var extraProbes = S("extraprobes", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(e =>
{
    if (e == "own") return (name: "own", train, test);
    var parts = e.Split(':');
    var set = Rendering(int.Parse(parts[1]), int.Parse(parts[0]));
    return (name: "s" + parts[0], train: set.Generate(DatasetSubset.Train).ToList(), test: set.Generate(DatasetSubset.Test).ToList());
}).ToList();
// gop=N: the encoder's keyframe interval (12, as ffmpeg's mpeg4 default); a large N puts no I-frame inside a clip.
var gop = I("gop", 12);
// One ffmpeg per video and per core: the transcoding is single-threaded and was 6 of a run's 20 minutes.
Parallel.ForEach(train.Concat(test).Concat(probeSet is null ? [] : probeTrain.Concat(probeTest)).Concat(extraProbes.Where(e => e.name != "own").SelectMany(e => e.train.Concat(e.test))), new ParallelOptions { MaxDegreeOfParallelism = threads }, v =>
{
    var f = jpegQuality > 0 ? Jpeg(v.Frames, jpegQuality) : v.Frames;
    if (codec.Length > 0) f = Transcode(f, codec, I("cq", 5), gop);
    if (blurKernel > 0) f = Blur(f, blurKernel);
    // area=N: an area (box-filter) resize of every frame to N×N, as decoding with VideoDecodeOptions.ShortSide = N does.
    framesOf[v] = kv.ContainsKey("area") ? Area(f, I("area", 64)) : f;
});
static ConstCl.Video.FrameSequence Area(ConstCl.Video.FrameSequence f, int n)
{
    var frames = new List<byte[]>();
    foreach (var rgb in f.Frames)
    {
        using var m = OpenCvSharp.Mat.FromPixelData(f.Height, f.Width, OpenCvSharp.MatType.CV_8UC3, rgb);
        using var r = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.Resize(m, r, new OpenCvSharp.Size(n, n), 0, 0, OpenCvSharp.InterpolationFlags.Area);
        var o = new byte[n * n * 3];
        System.Runtime.InteropServices.Marshal.Copy(r.Data, o, 0, o.Length);
        frames.Add(o);
    }
    return new ConstCl.Video.FrameSequence(frames, n, n, f.FrameIndices, f.FramesPerSecond);
}
if ((jpegQuality > 0 || codec.Length > 0) && !kv.ContainsKey("area"))
{
    // How far the lossy frames are from the rendered ones, and how much of that survives frame differencing.
    double err = 0, diffErr = 0; long n = 0;
    foreach (var v in test.Take(16))
        for (var t = 1; t < v.Frames.Count; t++)
            for (var i = 0; i < v.Frames.Frames[t].Length; i++)
            {
                var a = framesOf[v].Frames[t][i] - v.Frames.Frames[t][i];
                var b = framesOf[v].Frames[t - 1][i] - v.Frames.Frames[t - 1][i];
                err += Math.Abs(a); diffErr += Math.Abs(a - b); n++;
            }
    Console.Error.WriteLine($"lossy frames: mean |error| {err / n:0.00} levels, in frame differences {diffErr / n:0.00}");
    // Where the codec's difference error sits: per frame index mod 12 (GOP), and how much of it exceeds a few levels.
    var byPhase = new double[12]; var cleanByPhase = new double[12]; var countByPhase = new long[12];
    var over = new long[5]; var thresholds = new[] { 1, 2, 4, 8, 16 }; long total = 0;
    foreach (var v in test.Take(16))
        for (var t = 1; t < v.Frames.Count; t++)
            for (var i = 0; i < v.Frames.Frames[t].Length; i++)
            {
                var lossy = framesOf[v].Frames[t][i] - framesOf[v].Frames[t - 1][i];
                var clean = v.Frames.Frames[t][i] - v.Frames.Frames[t - 1][i];
                byPhase[t % 12] += Math.Abs(lossy); cleanByPhase[t % 12] += Math.Abs(clean); countByPhase[t % 12]++;
                var e = Math.Abs(lossy - clean); total++;
                for (var k = 0; k < 5; k++) if (e > thresholds[k]) over[k]++;
            }
    Console.Error.WriteLine("mean |difference| by t mod 12, lossy/clean: " + string.Join(" ", Enumerable.Range(0, 12).Select(k => $"{k}:{byPhase[k] / countByPhase[k]:0.00}/{cleanByPhase[k] / countByPhase[k]:0.00}")));
    Console.Error.WriteLine("difference error > 1,2,4,8,16 levels: " + string.Join(" ", Enumerable.Range(0, 5).Select(k => $"{100.0 * over[k] / total:0.00}%")));
    // Among pixels whose clean difference is 0 (static), how large is the lossy difference?
    long stat = 0; var statOver = new long[5];
    foreach (var v in test.Take(16))
        for (var t = 1; t < v.Frames.Count; t++)
            for (var i = 0; i < v.Frames.Frames[t].Length; i++)
                if (v.Frames.Frames[t][i] == v.Frames.Frames[t - 1][i])
                {
                    stat++; var l = Math.Abs(framesOf[v].Frames[t][i] - framesOf[v].Frames[t - 1][i]);
                    for (var k = 0; k < 5; k++) if (l > thresholds[k]) statOver[k]++;
                }
    Console.Error.WriteLine($"static pixels {100.0 * stat / total:0.0}%: lossy difference > 1,2,4,8,16 levels: " + string.Join(" ", Enumerable.Range(0, 5).Select(k => $"{100.0 * statOver[k] / stat:0.00}%")));
    if (kv.ContainsKey("profileonly")) return;
}
static ConstCl.Video.FrameSequence Transcode(ConstCl.Video.FrameSequence f, string codec, int q, int gop)
{
    var file = Path.Combine(Path.GetTempPath(), $"harness-{Guid.NewGuid():N}.avi");
    try
    {
        var tag = codec == "mpeg4" ? "-vtag XVID " : "";
        Process started;
        try
        {
            started = Process.Start(new ProcessStartInfo("ffmpeg", $"-nostdin -v error -y -f rawvideo -pix_fmt rgb24 -s {f.Width}x{f.Height} -r 25 -i - -c:v {codec} {tag}-q:v {q} -g {gop} -threads 1 {file}") { RedirectStandardInput = true })!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"codec={codec} needs the ffmpeg program on PATH (apt-get install ffmpeg): {e.Message}", e);
        }

        using (var enc = started)
        {
            foreach (var rgb in f.Frames) enc.StandardInput.BaseStream.Write(rgb);
            enc.StandardInput.Close();
            enc.WaitForExit();
            if (enc.ExitCode != 0) throw new InvalidOperationException($"ffmpeg encode failed ({enc.ExitCode})");
        }
        using var dec = Process.Start(new ProcessStartInfo("ffmpeg", $"-nostdin -v error -i {file} -f rawvideo -pix_fmt rgb24 -threads 1 -") { RedirectStandardOutput = true })!;
        var frames = new List<byte[]>();
        var size = f.Width * f.Height * 3;
        var stream = dec.StandardOutput.BaseStream;
        while (true)
        {
            var buffer = new byte[size];
            var read = 0;
            while (read < size) { var n = stream.Read(buffer, read, size - read); if (n == 0) break; read += n; }
            if (read < size) break;
            frames.Add(buffer);
        }
        dec.WaitForExit();
        if (frames.Count != f.Count) throw new InvalidOperationException($"decoded {frames.Count} of {f.Count} frames");
        return new ConstCl.Video.FrameSequence(frames, f.Width, f.Height, f.FrameIndices, f.FramesPerSecond);
    }
    finally { File.Delete(file); }
}
static ConstCl.Video.FrameSequence Blur(ConstCl.Video.FrameSequence f, int k)
{
    var frames = new List<byte[]>();
    foreach (var rgb in f.Frames)
    {
        using var m = OpenCvSharp.Mat.FromPixelData(f.Height, f.Width, OpenCvSharp.MatType.CV_8UC3, rgb);
        using var b = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.GaussianBlur(m, b, new OpenCvSharp.Size(k, k), 0);
        var o = new byte[rgb.Length];
        System.Runtime.InteropServices.Marshal.Copy(b.Data, o, 0, o.Length);
        frames.Add(o);
    }
    return new ConstCl.Video.FrameSequence(frames, f.Width, f.Height, f.FrameIndices, f.FramesPerSecond);
}
static ConstCl.Video.FrameSequence Jpeg(ConstCl.Video.FrameSequence f, int quality)
{
    var frames = new List<byte[]>();
    foreach (var rgb in f.Frames)
    {
        using var m = OpenCvSharp.Mat.FromPixelData(f.Height, f.Width, OpenCvSharp.MatType.CV_8UC3, rgb);
        OpenCvSharp.Cv2.ImEncode(".jpg", m, out var bytes, new OpenCvSharp.ImageEncodingParam(OpenCvSharp.ImwriteFlags.JpegQuality, quality));
        using var d = OpenCvSharp.Cv2.ImDecode(bytes, OpenCvSharp.ImreadModes.Color);
        var o = new byte[rgb.Length];
        System.Runtime.InteropServices.Marshal.Copy(d.Data, o, 0, o.Length);
        frames.Add(o);
    }
    return new ConstCl.Video.FrameSequence(frames, f.Width, f.Height, f.FrameIndices, f.FramesPerSecond);
}
PrefetchingBatchSource TrainSource(LoaderOptions lo) => new(new InMemoryFrameProvider(train.Select(v => $"synthetic/{v.Label}/{v.VideoIndex}").ToList(), train.Select(v => framesOf[v]).ToList()), lo);
Console.Error.WriteLine($"data {train.Count}/{test.Count} in {clock.Elapsed.TotalSeconds:0}s; peak lr {options.PeakLearningRate}");
if (S("mode", "") == "pool")
{
    // Does max_pool3d backward alone produce non-finite gradients?
    var shape = new long[] { I("n", 32), I("c", 8), I("t", 4), I("h", 32), I("w", 32) };
    var nanCount = 0;
    var reps = I("reps", 200);
    for (var r = 0; r < reps; r++)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var x = TorchSharp.torch.randn(shape).requires_grad_(true);
        var y = TorchSharp.torch.nn.functional.max_pool3d(x, new long[] { 1, 3, 3 }, new long[] { 1, 2, 2 }, new long[] { 0, 1, 1 });
        var g = TorchSharp.torch.randn(y.shape);
        y.backward(new[] { g });
        if (!x.grad!.isfinite().all().item<bool>()) nanCount++;
    }
    Console.WriteLine($"pool backward non-finite in {nanCount}/{reps}");
    return;
}

if (S("mode", "") == "conv")
{
    var c = I("c", 8);
    var shape = new long[] { I("n", 32), c, I("t", 4), I("h", 16), I("w", 16) };
    var kt = I("kt", 1);
    using var conv = TorchSharp.torch.nn.Conv3d(c, c, (kt, 3, 3), stride: (1, 1, 1), padding: (kt / 2, 1, 1), bias: false);
    TorchSharp.torch.manual_seed(1);
    using var x0 = TorchSharp.torch.randn(shape);
    using var g0 = TorchSharp.torch.randn(shape);
    TorchSharp.torch.Tensor? reference = null;
    int bad = 0, differ = 0, reps = I("reps", 200);
    for (var r = 0; r < reps; r++)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var x = x0.clone().requires_grad_(true);
        var y = conv.forward(x);
        y.backward(new[] { g0 });
        if (!x.grad!.isfinite().all().item<bool>()) bad++;
        if (reference is null) { reference = x.grad!.detach().clone(); reference.MoveToOuterDisposeScope(); }
        else if (!x.grad!.allclose(reference, 0, 0)) differ++;
    }
    {
        // The exact input gradient of a stride-1 conv: a transposed conv of the output gradient with the same weight.
        using var exact = TorchSharp.torch.nn.functional.conv_transpose3d(g0, conv.weight!.detach(), padding: new long[] { kt / 2, 1, 1 });
        using var x = x0.clone().requires_grad_(true);
        using var y = conv.forward(x);
        y.backward(new[] { g0 });
        Console.WriteLine($"max |autograd − exact| = {x.grad!.sub(exact).abs().nan_to_num(1e30).max().item<float>():g4}, |exact| max {exact.abs().max().item<float>():g4}");
    }
    Console.WriteLine($"conv backward: non-finite {bad}/{reps}, differs from first {differ}/{reps}");
    return;
}

if (S("mode", "") == "convcheck")
{
    // float32 autograd of a Conv3d against the same computation in float64 (a different CPU kernel path).
    var cin = I("cin", 8); var cout = I("cout", 8); var kt = I("kt", 1); var kh = I("kh", 3); var st = I("st", 1); var ss = I("ss", 1);
    var shape = new long[] { I("n", 32), cin, I("t", 4), I("h", 16), I("w", 16) };
    TorchSharp.torch.manual_seed(1);
    using var w32 = TorchSharp.torch.randn(new long[] { cout, cin, kt, kh, kh }).mul(0.1);
    using var x32 = TorchSharp.torch.randn(shape);
    double worstIn = 0, worstW = 0, worstF = 0; int bad = 0; var reps = I("reps", 20);
    for (var r = 0; r < reps; r++)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var fwd = new List<TorchSharp.torch.Tensor>();
        var pairs = new List<(TorchSharp.torch.Tensor gx, TorchSharp.torch.Tensor gw)>();
        foreach (var dt in new[] { TorchSharp.torch.ScalarType.Float32, TorchSharp.torch.ScalarType.Float64 })
        {
            var x = x32.to(dt).detach().clone().requires_grad_(true);
            var w = w32.to(dt).detach().clone().requires_grad_(true);
            var y = TorchSharp.torch.nn.functional.conv3d(x, w, null, new long[] { st, ss, ss }, new long[] { kt / 2, kh / 2, kh / 2 });
            fwd.Add(y.detach().to(TorchSharp.torch.ScalarType.Float64));
            var g = TorchSharp.torch.ones_like(y).mul(y.detach().sign());
            y.backward(new[] { g });
            pairs.Add((x.grad!.to(TorchSharp.torch.ScalarType.Float64), w.grad!.to(TorchSharp.torch.ScalarType.Float64)));
        }
        var dIn = pairs[0].gx.sub(pairs[1].gx).abs().nan_to_num(1e30).max().item<double>() / pairs[1].gx.abs().max().item<double>();
        var dW = pairs[0].gw.sub(pairs[1].gw).abs().nan_to_num(1e30).max().item<double>() / pairs[1].gw.abs().max().item<double>();
        var dF = fwd[0].sub(fwd[1]).abs().nan_to_num(1e30).max().item<double>() / fwd[1].abs().max().item<double>();
        worstF = Math.Max(worstF, dF);
        if (dIn > 1e-3 || dW > 1e-3 || dF > 1e-3) bad++;
        worstIn = Math.Max(worstIn, dIn); worstW = Math.Max(worstW, dW);
    }
    Console.WriteLine($"conv3d cin={cin} cout={cout} k=({kt},{kh},{kh}) stride=({st},{ss},{ss}) x={string.Join("x", shape)}: wrong in {bad}/{reps}; worst relative error forward {worstF:g3}, input-grad {worstIn:g3}, weight-grad {worstW:g3}");
    return;
}

if (S("mode", "") == "grad")
{
    // Per-stage gradient and weight norms at initialisation, over a few batches (no update).
    var loaderG = options.ToLoaderOptions() with { DecodeThreads = 1 };
    using var sourceG = PrefetchingBatchSource.FromSynthetic(dataset, loaderG, DatasetSubset.Train);
    TorchSharp.torch.manual_seed(seed);
    using var net = ConstClModel.Create(model, seed);
    net.train();
    var groups = new SortedDictionary<string, (double g2, double w2, long n)>();
    var fixedBatch = I("fixed", 0) == 1 ? sourceG.Next() : null;
    for (var i = 0; i < I("batches", 3); i++)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var b = fixedBatch ?? sourceG.Next();
        foreach (var p in net.parameters()) p.grad = null;
        var o = net.forward(b.Input);
        var obj = ConstCl.Losses.ConstClObjective.Compute(o, options.Objective);
        obj.Total.backward();
        var nanNames = net.named_parameters().Where(q => q.parameter.grad is not null && q.parameter.grad.isnan().any().item<bool>()).Select(q => q.name).ToList();
        Console.WriteLine($"  NaN grads: {nanNames.Count} {string.Join(",", nanNames)}; input finite {b.Input.ViewA.isfinite().all().item<bool>()} absmax {b.Input.ViewA.abs().max().item<float>()}");
        foreach (var (name, p) in net.named_parameters())
        {
            if (p.grad is null) continue;
            var parts = name.Split('.');
            var key = parts[0] == "backbone" ? parts[0] + "." + parts[1] + (parts.Length > 3 && parts[1].StartsWith("res") ? "." + parts[2] : "") : parts[0];
            var g = p.grad.square().sum().item<float>();
            var w = p.square().sum().item<float>();
            groups[key] = groups.TryGetValue(key, out var acc) ? (acc.g2 + g, acc.w2 + w, acc.n + p.numel()) : (g, w, p.numel());
        }
        Console.WriteLine($"batch {i}: global {obj.Global.Loss.item<float>():0.000} | {RepresentationDiagnostics.Measure(o.GlobalEmbeddings, o.BackboneEmbeddings!, obj.Global.Loss.item<float>())}");
    }
    foreach (var (k, v) in groups) Console.WriteLine($"{k,-28} |g| {Math.Sqrt(v.g2):0.000e+0}  |w| {Math.Sqrt(v.w2):0.000e+0}  |g|/|w| {Math.Sqrt(v.g2 / v.w2):0.000e+0}  params {v.n}");
    return;
}

var results = new Dictionary<string, string>();
// The labels every probe reads (and mode=supervised trains on): name, a video's label, the class names.
var labels = new (string Name, Func<SyntheticVideo, int> Of, IReadOnlyList<string> Classes)[]
{
    ("motion", v => v.ClassIndex, dataset.ClassNames),
    ("shape", v => (int)v.Shape, Enum.GetNames<SyntheticShape>()),
    ("texture", v => (int)v.Texture, Enum.GetNames<SyntheticTexture>()),
};
if (S("mode", "") == "supervised")
{
    // An upper bound for what the network can carry about a label: train it end to end on that label (label=motion,
    // shape or texture) from the probe-training videos' clips (un-augmented, a random one of 10 per video; a random
    // horizontal flip unless the label is motion), with a linear classifier on the pooled res5 features (AdamW 1e-3,
    // cosine decay, steps x batch), then probe the frozen network like any other (key "supervised-LABEL").
    var label = S("label", "shape");
    var target = labels.FirstOrDefault(l => l.Name == label);
    if (target.Name is null) throw new ArgumentException($"label={label}: expected {string.Join(", ", labels.Select(l => l.Name))}.");
    var supSteps = I("steps", 2000);
    var supBatch = I("batch", 16);
    var supLr = D("lr", 1e-3);
    var printEvery = I("printevery", 100);
    TorchSharp.torch.manual_seed(seed);
    using var net = ConstClModel.Create(model, seed);
    var backbone = net.Backbone;
    using var classifier = TorchSharp.torch.nn.Linear(backbone.OutputChannels, target.Classes.Count);
    var parameters = backbone.parameters().Concat(classifier.parameters()).ToList();
    using var adam = TorchSharp.torch.optim.AdamW(parameters, lr: supLr, weight_decay: D("wd", 1e-4));
    var spec = EvaluationClipSpec.ForModel(model, 10, cropCount: 1);
    var rng = new Random(seed);
    backbone.train();
    double lossSum = 0, hits = 0; int seen = 0;
    for (var step = 1; step <= supSteps; step++)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        foreach (var group in adam.ParamGroups) group.LearningRate = supLr * 0.5 * (1 + Math.Cos(Math.PI * (step - 1) / supSteps));
        var picks = Enumerable.Range(0, supBatch).Select(_ => probeTrain[rng.Next(probeTrain.Count)]).ToArray();
        var clips = picks.Select(v =>
        {
            var (d, sh) = EvaluationClips.Prepare(framesOf[v], spec);
            var all = TorchSharp.torch.tensor(d, sh);
            var one = all[rng.Next((int)sh[0])].unsqueeze(0);
            return label != "motion" && rng.Next(2) == 1 ? one.flip(4) : one;
        }).ToArray();
        var x = TorchSharp.torch.cat(clips, 0);
        var y = TorchSharp.torch.tensor(picks.Select(v => (long)target.Of(v)).ToArray());
        var logits = classifier.forward(backbone.ForwardBranch(x, BackboneBranch.Global).mean([2L, 3L, 4L]));
        var loss = TorchSharp.torch.nn.functional.cross_entropy(logits, y);
        adam.zero_grad();
        loss.backward();
        adam.step();
        lossSum += loss.item<float>(); hits += logits.argmax(1).eq(y).sum().item<long>(); seen += supBatch;
        if (step % printEvery == 0 || step == supSteps)
        {
            Console.Error.WriteLine($"  {step}: loss {lossSum / Math.Max(1, seen / supBatch):0.000} train top-1 {hits / Math.Max(1, seen):0.00} ({clock.Elapsed.TotalSeconds:0}s)");
            lossSum = 0; hits = 0; seen = 0;
        }
    }
    backbone.eval();
    using (var supervisedEncoder = VideoEncoder.FromModel(net)) Probe("supervised-" + label, supervisedEncoder);
    PrintSummary();
    return;
}

if (S("mode", "") == "compare")
{
    // Rendered frames against the files `constcl synth` wrote for the same videos: frames, then embeddings.
    using var enc = kv.ContainsKey("encoder") ? VideoEncoder.Load(S("encoder", "")) : VideoEncoder.FromModel(ConstClModel.Create(model, seed));
    var embedder = new VideoEmbedder(enc, new EmbeddingOptions { Clips = EvaluationClipSpec.ForModel(model, I("evalclips", 4), cropCount: 1) });
    var dataDir = S("data", "/work/walk/data");
    double cosSum = 0, frameDiffMax = 0; int n = 0;
    foreach (var v in test.Take(I("n", 16)))
    {
        var path = Path.Combine(dataDir, v.Label, $"{v.Label}_{v.VideoIndex:D4}.avi");
        if (!File.Exists(path)) { Console.WriteLine($"missing {path}"); continue; }
        var a = embedder.Embed(framesOf[v]);
        var b = embedder.Embed(path);
        double dot = 0; for (var i = 0; i < a.Length; i++) dot += a[i] * b[i];
        var decoded = ConstCl.Video.VideoReader.ReadClip(path, 0, v.Frames.Count, 1);
        double maxDiff = 0, meanDiff = 0; long count = 0;
        for (var f = 0; f < Math.Min(decoded.Count, v.Frames.Count); f++)
        {
            var x = decoded.Frames[f]; var y = framesOf[v].Frames[f];
            if (x.Length != y.Length) { Console.WriteLine($"frame size differs: {decoded.Width}x{decoded.Height} vs {v.Frames.Width}x{v.Frames.Height}"); break; }
            for (var i = 0; i < x.Length; i++) { var d = Math.Abs(x[i] - y[i]); maxDiff = Math.Max(maxDiff, d); meanDiff += d; count++; }
        }
        frameDiffMax = Math.Max(frameDiffMax, maxDiff);
        cosSum += dot; n++;
        Console.WriteLine($"{Path.GetFileName(path)} cos {dot:0.0000} frames {decoded.Count}/{v.Frames.Count} {decoded.Width}x{decoded.Height} fps {decoded.FramesPerSecond} pixel diff max {maxDiff} mean {meanDiff / Math.Max(count, 1):0.000}");
    }
    Console.WriteLine($"mean cos {cosSum / n:0.0000} over {n}; worst pixel diff {frameDiffMax}");
    return;
}

var variants = S("variants", "pre,random").Split(',');
var work = Directory.CreateTempSubdirectory("harness-");
try
{
    if (variants.Contains("random"))
    {
        using var net = ConstClModel.Create(model, seed);
        using var enc = VideoEncoder.FromModel(net);
        Probe("random", enc);
    }

    if (kv.ContainsKey("encoder"))
    {
        // Probe an encoder file written elsewhere (e.g. by constcl pretrain) with this harness's data and probe.
        // branch=local: embed from res5_local instead (for a global-only run, the trained stem..res4 under an untrained res5).
        using var enc = VideoEncoder.Load(S("encoder", ""), S("branch", "global") == "local" ? BackboneBranch.Local : BackboneBranch.Global);
        Probe("encoder", enc);
    }

    if (variants.Contains("pre"))
    {
        var loader = options.ToLoaderOptions() with { DecodeThreads = 1 };
        using var source = TrainSource(loader);
        var t0 = clock.Elapsed.TotalSeconds;
        var progress = new Reporter(I("printevery", 50), steps);
        var result = new Pretrainer(options).Run(source, Path.Combine(work.FullName, "run"), progress);
        var d = result.LastProgress!.Diagnostics!;
        results["pre_time"] = $"{clock.Elapsed.TotalSeconds - t0:0}s";
        results["final"] = $"g={result.LastProgress.GlobalLoss:0.000} {d}";
        results["ratio_last5"] = $"{progress.Ratios.TakeLast(5).Average():0.000}";
        foreach (var w in result.Warnings) Console.Error.WriteLine("WARN " + w);
        // keep=PATH: keep the pre-trained encoder file (probe it later on other data with encoder=PATH variants=none).
        if (kv.ContainsKey("keep")) File.Copy(result.EncoderPath!, S("keep", ""), overwrite: true);
        using var enc = VideoEncoder.Load(result.EncoderPath!);
        Probe("pre", enc);
    }
}
finally
{
    work.Delete(true);
}

PrintSummary();

// The one summary line: the arguments, then every result key=value.
void PrintSummary() => Console.WriteLine(string.Join(" ", args) + " | " + string.Join(" ", results.Select(r => $"{r.Key}={r.Value}")));

void Probe(string name, VideoEncoder encoder)
{
    // stages=res2,res5: probe the output of each listed backbone stage (VideoEncoder's stage; results below res5 keyed ~resN);
    // unset: res5 only, no suffix.
    foreach (var stage in S("stages", "res5").Split(',').Select(x => Enum.Parse<BackboneStage>(x, ignoreCase: true)))
    {
        if (stage == BackboneStage.Res5)
        {
            ProbeStage(name, encoder);
            continue;
        }

        // An encoder over the same weights stopped at the stage: through a file, as `constcl probe --stage` loads it.
        var path = Path.Combine(Path.GetTempPath(), $"harness-{Environment.ProcessId}-{name}.constcl");
        encoder.Save(path);
        using (var staged = VideoEncoder.Load(path, encoder.Branch, stage: stage)) ProbeStage($"{name}~{stage.ToString().ToLowerInvariant()}", staged);
        File.Delete(path);
    }
}

void ProbeStage(string name, VideoEncoder encoder)
{
    // probel2=1,10,100: the probe at each listed L2 weight, each result keyed ~l2=X; unset: the probe's own weight (1), no suffix.
    var probeL2 = kv.ContainsKey("probel2") ? S("probel2", "").Split(',').Select(x => (float?)float.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray() : new float?[] { null };
    // precisebn=N: before probing, re-estimate every BatchNorm's running statistics (cumulative average) on the
    // un-augmented evaluation clips of N probe-training videos, 8 videos per forward pass (precise BN).
    if (kv.ContainsKey("precisebn") && (name != "random" || kv.ContainsKey("precisebnrandom"))) PreciseBatchNorm(encoder, I("precisebn", 256));
    // evalclips=4 (default) or a list, e.g. evalclips=4,10 (10 clips is `constcl probe`'s default; its 3 crops are one crop on square videos).
    foreach (var clipCount in S("evalclips", "4").Split(',').Select(int.Parse))
    {
        var embedder = new VideoEmbedder(encoder, new EmbeddingOptions { Clips = EvaluationClipSpec.ForModel(model, clipCount, cropCount: 1) });
        foreach (var (setName, setTrain, setTest) in extraProbes.Prepend((name: "", train: probeTrain, test: probeTest)))
        {
            var tr = setTrain.Select(v => (v, e: embedder.Embed(framesOf[v]))).ToList();
            var te = setTest.Select(v => (v, e: embedder.Embed(framesOf[v]))).ToList();
            // Each label's lists are built once per probe set, whatever the number of L2 weights.
            var labelled = labels.Select(l => (l.Name, l.Classes,
                Train: tr.Select(x => new LabeledEmbedding(l.Of(x.v), x.e)).ToList(),
                Test: te.Select(x => new LabeledEmbedding(l.Of(x.v), x.e)).ToList())).ToList();
            foreach (var l2 in probeL2)
            {
                var probe = new LinearProbe(new LinearProbeOptions { Seed = seed, NumberOfThreads = 1, L2Regularization = l2 });
                var key = (clipCount == 4 ? name : $"{name}@{clipCount}") + (setName.Length > 0 ? "/" + setName : "") + (l2 is float w ? $"~l2={w:g}" : "");
                results[key] = string.Join(" ", labelled.Select(l => $"{l.Name} {100 * probe.Evaluate(l.Train, l.Test, l.Classes).Top1:0.0}"));
                Console.Error.WriteLine($"{key}: {results[key]} ({clock.Elapsed.TotalSeconds:0}s)");
            }
        }
    }
}

void PreciseBatchNorm(VideoEncoder encoder, int videos)
{
    var backbone = (ResNet3dY)typeof(VideoEncoder).GetProperty("Backbone", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(encoder)!;
    var norms = backbone.modules().OfType<TorchSharp.Modules.BatchNorm>().ToList();
    var momenta = norms.Select(bn => bn.momentum).ToArray();
    foreach (var bn in norms) { bn.reset_running_stats(); bn.momentum = null; }
    var spec = EvaluationClipSpec.ForModel(model, 4, cropCount: 1);
    backbone.train();
    using (TorchSharp.torch.no_grad())
    {
        foreach (var chunk in probeTrain.OrderBy(v => v.VideoIndex * 31 + v.ClassIndex).Take(videos).Chunk(8))
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            var clips = chunk.Select(v => { var (d, sh) = EvaluationClips.Prepare(framesOf[v], spec); return TorchSharp.torch.tensor(d, sh); }).ToArray();
            backbone.ForwardBranch(TorchSharp.torch.cat(clips, 0), BackboneBranch.Global);
        }
    }
    backbone.eval();
    for (var i = 0; i < norms.Count; i++) norms[i].momentum = momenta[i];
    Console.Error.WriteLine($"precise BN: {norms.Count} norms re-estimated on {Math.Min(videos, probeTrain.Count)} videos");
}

sealed class Reporter(int every, int total) : IProgress<PretrainingProgress>
{
    public readonly List<double> Ratios = new();
    public void Report(PretrainingProgress p)
    {
        Ratios.Add(p.Diagnostics!.GlobalLossToChance);
        if (p.Step % every == 0 || p.Step == total)
        {
            Console.Error.WriteLine($"  {p.Step}: g {p.GlobalLoss:0.000} l {p.LocalLoss:0.000} lr {p.LearningRate:g3} {p.ClipsPerSecond:0} clips/s | {p.Diagnostics}");
        }
    }
}
