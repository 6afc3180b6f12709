using System.Diagnostics;
using ConstCl.Augmentation;
using ConstCl.Losses;
using ConstCl.Modeling;
using ConstCl.Regions;
using ConstCl.Runtime;
using ConstCl.Sampling;
using ConstCl.Training;
using ConstCl.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.MLNet;

/// <summary>
/// Runs ConST-CL pre-training on a list of videos and returns the trained backbone. Adapter for feat/pretrain's
/// <c>Pretrainer</c> (the one place the ML.NET estimator touches training): until that lands, a compact whole loop
/// (nanoGPT style) built from Core's pieces: CVRL temporal sampling, the two-view augmenter, random region boxes,
/// the ConST-CL model and objective, kernel weight decay, gradient clipping, the non-finite guard and the schedule.
/// </summary>
internal static class PretrainingRunner
{
    /// <summary>Pre-trains and returns the backbone (caller owns it). Unreadable videos are skipped; if none is readable it throws.</summary>
    public static ResNet3dY Run(
        IReadOnlyList<string> videos,
        ConstClModelOptions modelOptions,
        PretrainingOptions training,
        IProgress<PretrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (videos.Count == 0)
        {
            throw new ArgumentException("Pre-training needs at least one video path; the column has no rows.", nameof(videos));
        }

        training = training.Validate();
        modelOptions.Validate();
        TorchRuntime.Initialize(training.Threads);
        torch.manual_seed(training.Seed);
        var random = new DeterministicRandom(training.Seed);
        using var model = ConstClModel.Create(modelOptions, training.Seed);
        using var optimizer = ConstClOptimizer.Create(training, model);
        var decay = new KernelWeightDecay(model, training.WeightDecay);
        var schedule = LearningRateSchedule.From(training);
        var guard = new NonFiniteGuard(training.MaxConsecutiveNonFiniteSteps);
        var parameters = model.parameters().ToArray();
        var sampler = new CvrlTemporalSampler(modelOptions.InputFrames, stride: 2);
        var augmenter = new TwoViewAugmenter(AugmentationOptions.Official with
        {
            OutputHeight = modelOptions.InputSize,
            OutputWidth = modelOptions.InputSize,
            BlurKernelSize = Math.Max(3, modelOptions.InputSize / 10 | 1),
        });
        var proposer = new RandomRegionProposer();
        var decode = new VideoDecodeOptions { ShortSide = modelOptions.InputSize };
        var lengths = new Dictionary<string, int>(StringComparer.Ordinal);
        var unreadable = new HashSet<string>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        long skipped = 0;

        model.train();
        for (var step = 0; step < training.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var samples = new List<(AugmentedPair Pair, ViewPair Views)>(training.BatchSize);
            var attempts = 0;
            while (samples.Count < training.BatchSize)
            {
                if (unreadable.Count == videos.Count || ++attempts > 20 * training.BatchSize)
                {
                    throw new InvalidOperationException(
                        $"Pre-training found no readable video among the {videos.Count} paths (first unreadable: '{unreadable.FirstOrDefault()}').");
                }

                var path = videos[random.Next(videos.Count)];
                if (unreadable.Contains(path))
                {
                    continue;
                }

                try
                {
                    if (!lengths.TryGetValue(path, out var length))
                    {
                        length = VideoReader.Probe(path, decode).HeaderFrameCount;
                        lengths[path] = length = Math.Max(length, 1);
                    }

                    var views = sampler.Sample(length, random);
                    var needed = views.View1Frames.Concat(views.View2Frames).Distinct().Order().ToArray();
                    var frames = VideoReader.ReadClip(path, needed, decode);
                    var boxes1 = Boxes(proposer.Propose(modelOptions.InputFrames, random));
                    var boxes2 = Boxes(proposer.Propose(modelOptions.InputFrames, random));
                    samples.Add((augmenter.Augment(frames, views, random, boxes1, boxes2), views));
                }
                catch (Exception ex) when (ex is VideoDecodeException or IOException)
                {
                    unreadable.Add(path);
                }
            }

            double total, global, local, l2;
            var lr = schedule.At(step);
            using (var scope = torch.NewDisposeScope())
            {
                var input = Collate(samples, modelOptions, proposer.BoxesPerFrame);
                optimizer.zero_grad();
                using var output = model.call(input);
                using var objective = ConstClObjective.Compute(output);
                var weightDecay = decay.Compute();
                var loss = objective.Total + weightDecay;
                loss.backward();
                var norm = training.GradientClipNorm is { } clip
                    ? GradientClipping.ClipGlobalNorm(parameters, clip)
                    : GradientClipping.GlobalNorm(parameters);
                if (guard.Observe(step, loss, norm))
                {
                    optimizer.LearningRate = lr;
                    optimizer.step();
                }
                else
                {
                    skipped++;
                }

                total = loss.item<float>();
                global = objective.Global.Loss.item<float>();
                local = objective.Local is { } l ? l.Loss.item<float>() : 0;
                l2 = weightDecay.item<float>();
            }

            if (progress is not null && ((step + 1) % training.LogEvery == 0 || step + 1 == training.Steps))
            {
                var elapsed = clock.Elapsed;
                var perStep = elapsed / (step + 1);
                progress.Report(new PretrainingProgress(
                    step + 1, training.Steps, (step + 1.0) * training.BatchSize / videos.Count, global, local, l2, total, lr,
                    2.0 * training.BatchSize * (step + 1) / Math.Max(elapsed.TotalSeconds, 1e-9), 0, perStep * (training.Steps - step - 1), skipped));
            }
        }

        // The backbone outlives the model: detach it by copying its state into a fresh module.
        var backbone = ResNet3dY.Create(modelOptions.Backbone, new Generator(0));
        using (torch.no_grad())
        {
            backbone.load_state_dict(model.Backbone.state_dict());
        }

        backbone.eval();
        return backbone;
    }

    private static float[] Boxes(RegionProposals proposals)
    {
        var flat = new float[proposals.FrameCount * proposals.BoxesPerFrame * 4];
        var i = 0;
        foreach (var frame in proposals.Boxes)
        {
            foreach (var b in frame)
            {
                flat[i++] = b.X1;
                flat[i++] = b.Y1;
                flat[i++] = b.X2;
                flat[i++] = b.Y2;
            }
        }

        return flat;
    }

    private static ConstClModelInput Collate(List<(AugmentedPair Pair, ViewPair Views)> samples, ConstClModelOptions options, int boxesPerFrame)
    {
        int b = samples.Count, t = options.InputFrames, s = options.InputSize;
        var clip = 3 * t * s * s;
        var a = new float[b * clip];
        var v = new float[b * clip];
        var boxA = new float[b * t * boxesPerFrame * 4];
        var boxB = new float[boxA.Length];
        var timesA = new long[b * t];
        var timesB = new long[b * t];
        for (var i = 0; i < b; i++)
        {
            var (pair, views) = samples[i];
            pair.View1.CopyTo(a.AsSpan(i * clip, clip), ClipLayout.Cthw);
            pair.View2.CopyTo(v.AsSpan(i * clip, clip), ClipLayout.Cthw);
            pair.Boxes1!.CopyTo(boxA, i * t * boxesPerFrame * 4);
            pair.Boxes2!.CopyTo(boxB, i * t * boxesPerFrame * 4);
            for (var f = 0; f < t; f++)
            {
                timesA[i * t + f] = views.View1Frames[f];
                timesB[i * t + f] = views.View2Frames[f];
            }
        }

        return new ConstClModelInput(
            torch.tensor(a, [b, 3, t, s, s]).clone(),                   // [B, 3, T, H, W]
            torch.tensor(v, [b, 3, t, s, s]).clone(),                   // [B, 3, T, H, W]
            torch.tensor(boxA, [b, t, boxesPerFrame, 4]),               // [B, T, N, 4]
            torch.tensor(boxB, [b, t, boxesPerFrame, 4]),               // [B, T, N, 4]
            FrameTimesA: torch.tensor(timesA, [b, t]),                  // [B, T]
            FrameTimesB: torch.tensor(timesB, [b, t]));                 // [B, T]
    }
}
