using ConstCl.Checkpoints;
using ConstCl.Core.Tests.Training;
using ConstCl.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Checkpoints;

public class CheckpointStoreTests
{
    private static readonly PretrainingOptions Options = PretrainingOptions.TinyOfficial with { Steps = 10, WarmupSteps = 2, Seed = 5 };

    private static void TrainSteps(Sequential model, ConstClOptimizer optimizer, DeterministicRandom random, int steps)
    {
        model.train();
        for (var i = 0; i < steps; i++)
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.tensor(Enumerable.Range(0, 12).Select(_ => (float)random.NextDouble()).ToArray()).reshape(3, 4); // [3, 4]
            optimizer.zero_grad();
            var loss = model.call(x).square().mean();
            loss.backward();
            optimizer.LearningRate = 0.05;
            optimizer.step();
        }
    }

    private static CheckpointSnapshot Snapshot(int step, Sequential model, ConstClOptimizer? optimizer = null, DeterministicRandom? random = null) =>
        new() { Step = step, Model = model, Options = Options, Optimizer = optimizer, ManagedRandom = random, SamplerPosition = [1, 2, (byte)step], LearningRate = 0.05 };

    [Fact]
    public void RoundTripIsBitwiseForWeightsVelocitiesAndRandomStreams()
    {
        var dir = TrainingTestModels.TempDirectory();
        using var model = TrainingTestModels.Mlp(1);
        using var optimizer = ConstClOptimizer.Create(Options, model);
        var random = new DeterministicRandom(Options.Seed);
        TrainSteps(model, optimizer, random, 3);

        var store = new CheckpointStore(dir, keepLast: 3);
        var path = store.Save(Snapshot(3, model, optimizer, random));
        var weights = TrainingTestModels.Bytes(model);
        var velocities = TrainingTestModels.Bytes(optimizer.ExportState());
        // The uninterrupted continuation draws these next.
        var torchNext = torch.rand(5).data<float>().ToArray();
        var managedNext = Enumerable.Range(0, 5).Select(_ => random.NextDouble()).ToArray();

        // A different process: other seeds, fresh weights, fresh optimiser.
        torch.manual_seed(999);
        using var model2 = TrainingTestModels.Mlp(2);
        using var optimizer2 = ConstClOptimizer.Create(Options, model2);
        var random2 = new DeterministicRandom(77);
        var result = store.LoadLatest();
        Assert.Empty(result.Skipped);
        using var checkpoint = result.Checkpoint!;
        Assert.Equal(path, checkpoint.Path);
        Assert.Equal(3, checkpoint.Step);
        Assert.Equal(0.05, checkpoint.LearningRate);
        Assert.Equal(new byte[] { 1, 2, 3 }, checkpoint.SamplerPosition);
        Assert.Equal(Options.ToJson(), checkpoint.OptionsJson);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Options.ToJson()))), checkpoint.OptionsSha256);
        Assert.Matches("^[0-9a-f]{64}$", checkpoint.WeightsSha256);
        Assert.Empty(checkpoint.EnsureCompatible(Options));
        checkpoint.Restore(model2, optimizer2, random2);

        TrainingTestModels.AssertBitwiseEqual(weights, TrainingTestModels.Bytes(model2));
        TrainingTestModels.AssertBitwiseEqual(velocities, TrainingTestModels.Bytes(optimizer2.ExportState()));
        Assert.Equal(torchNext, torch.rand(5).data<float>().ToArray());
        Assert.Equal(managedNext, Enumerable.Range(0, 5).Select(_ => random2.NextDouble()).ToArray());
    }

    [Fact]
    public void ExplicitTorchGeneratorStateRoundTrips()
    {
        var dir = TrainingTestModels.TempDirectory();
        using var model = TrainingTestModels.Mlp(1);
        using var generator = new Generator(42);
        torch.rand(3, generator: generator).Dispose();
        var store = new CheckpointStore(dir, 1);
        store.Save(Snapshot(1, model) with { TorchGenerator = generator });
        var expected = torch.rand(4, generator: generator).data<float>().ToArray();

        using var other = new Generator(7);
        using var checkpoint = store.LoadLatest().Checkpoint!;
        checkpoint.Restore(model, torchGenerator: other);
        Assert.Equal(expected, torch.rand(4, generator: other).data<float>().ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(-1)]
    [InlineData(-20)]
    [InlineData(-500)]
    [InlineData(-100000)]
    public void TruncatedNewestFallsBackToThePreviousWithAReport(int cut)
    {
        var dir = TrainingTestModels.TempDirectory();
        using var model = TrainingTestModels.Mlp(1);
        var logged = new List<string>();
        var store = new CheckpointStore(dir, 3, logged.Add);
        store.Save(Snapshot(5, model));
        var newest = store.Save(Snapshot(10, model));
        var bytes = File.ReadAllBytes(newest);
        var keep = cut >= 0 ? cut : Math.Max(0, bytes.Length + cut);
        File.WriteAllBytes(newest, bytes[..keep]);

        var result = store.LoadLatest();
        using var checkpoint = result.Checkpoint!;
        Assert.Equal(5, checkpoint.Step);
        var problem = Assert.Single(result.Skipped);
        Assert.Equal(newest, problem.Path);
        Assert.True(problem.Reason.Contains("truncated") || problem.Reason.Contains("end marker"), problem.Reason);
        Assert.Contains(logged, l => l.Contains(newest));
    }

    [Fact]
    public void CorruptWeightBytesAreAHashMismatch()
    {
        var dir = TrainingTestModels.TempDirectory();
        using var model = TrainingTestModels.Mlp(1);
        // A recognisable pattern in the first kernel, to find its bytes in the file.
        var marker = new[] { 1.2345f, -2.5f, 3.75f, 0.125f };
        using (torch.no_grad())
        {
            model.named_parameters().Single(p => p.name == "fc1.weight").parameter[0].copy_(torch.tensor(marker));
        }

        var store = new CheckpointStore(dir, 3);
        store.Save(Snapshot(1, model));
        var path = store.Save(Snapshot(2, model));
        var bytes = File.ReadAllBytes(path);
        var pattern = marker.SelectMany(BitConverter.GetBytes).ToArray();
        var at = bytes.AsSpan().IndexOf(pattern);
        Assert.True(at > 0);
        bytes[at + 5] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<CorruptFileException>(() => Checkpoint.Read(path));
        Assert.Contains("section 'model': SHA-256 mismatch", ex.Reason);
        var result = store.LoadLatest();
        using var previous = result.Checkpoint!;
        Assert.Equal(1, previous.Step);
        Assert.Contains("SHA-256 mismatch", Assert.Single(result.Skipped).Reason);
    }

    [Fact]
    public void WrongMagicIsReported()
    {
        var dir = TrainingTestModels.TempDirectory();
        var path = Path.Combine(dir, "step-000000001.ckpt");
        File.WriteAllText(path, "not a checkpoint at all");
        var result = new CheckpointStore(dir, 1).LoadLatest();
        Assert.Null(result.Checkpoint);
        Assert.Contains("wrong magic", Assert.Single(result.Skipped).Reason);
    }

    [Fact]
    public void KeepsTheNewestKAndRemovesAnAbandonedFuture()
    {
        var dir = TrainingTestModels.TempDirectory();
        using var model = TrainingTestModels.Mlp(1);
        var store = new CheckpointStore(dir, keepLast: 2);
        File.WriteAllText(Path.Combine(dir, "step-000000003.ckpt.tmp-0123"), "left by a crash");
        for (var step = 1; step <= 5; step++)
        {
            store.Save(Snapshot(step, model));
        }

        Assert.Equal(new[] { 5, 4 }, store.List().Select(c => c.Step));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp-*"));

        // Resuming from step 4 and saving step 4 again abandons step 5.
        store.Save(Snapshot(4, model));
        Assert.Equal(new[] { 4 }, store.List().Select(c => c.Step));
    }

    [Fact]
    public void ResumeWithDifferentOptionsIsRefusedWithTheFieldsListed()
    {
        var dir = TrainingTestModels.TempDirectory();
        using var model = TrainingTestModels.Mlp(1);
        var store = new CheckpointStore(dir, 1);
        store.Save(Snapshot(1, model));
        using var checkpoint = store.LoadLatest().Checkpoint!;
        var changed = Options with { BatchSize = 8, Optimizer = OptimizerKind.Lars, Threads = 7, LogEvery = 1 };

        var ex = Assert.Throws<OptionsMismatchException>(() => checkpoint.EnsureCompatible(changed));
        Assert.Contains("BatchSize: 4 → 8", ex.Message);
        Assert.Contains("Optimizer: \"Sgd\" → \"Lars\"", ex.Message);
        Assert.DoesNotContain("Threads", ex.Message);   // operational fields may differ
        Assert.DoesNotContain("LogEvery", ex.Message);
        Assert.Equal(new[] { "BatchSize", "Optimizer" }, ex.Differences.Select(d => d.Path));

        var allowed = checkpoint.EnsureCompatible(changed, allowDifferentOptions: true);
        Assert.Equal(2, allowed.Count);
    }

    [Fact]
    public void A_checkpoint_written_before_a_field_existed_resumes_when_the_field_keeps_its_default()
    {
        var dir = TrainingTestModels.TempDirectory();
        using var model = TrainingTestModels.Mlp(1);
        var path = new CheckpointStore(dir, 1).Save(Snapshot(1, model));

        // As an older library wrote it: the options JSON without FrameDifferenceDeadZone.
        var file = CraftedFile.Open(path, Checkpoint.Magic);
        var json = System.Text.Json.Nodes.JsonNode.Parse(file[Checkpoint.OptionsSection])!;
        Assert.True(json["Model"]!["Backbone"]!.AsObject().Remove("FrameDifferenceDeadZone"));
        file[Checkpoint.OptionsSection] = System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
        file.Save(path);

        using var checkpoint = new CheckpointStore(dir, 1).LoadLatest().Checkpoint!;
        Assert.DoesNotContain("FrameDifferenceDeadZone", checkpoint.OptionsJson);
        Assert.Empty(checkpoint.EnsureCompatible(Options));

        // A run that sets the new field to something else did not train like the checkpoint: refused.
        var withDeadZone = Options with { Model = Options.Model with { Backbone = Options.Model.Backbone with { InputMode = ConstCl.Modeling.InputMode.FrameDifference, FrameDifferenceDeadZone = 0.05 } } };
        var ex = Assert.Throws<OptionsMismatchException>(() => checkpoint.EnsureCompatible(withDeadZone));
        Assert.Contains(ex.Differences, d => d.Path == "Model.Backbone.FrameDifferenceDeadZone");
    }

    [Fact]
    public void RestoreRefusesAnotherArchitectureOrOptimizer()
    {
        var dir = TrainingTestModels.TempDirectory();
        using var model = TrainingTestModels.Mlp(1);
        using var sgd = ConstClOptimizer.Create(Options, model);
        var store = new CheckpointStore(dir, 1);
        store.Save(Snapshot(1, model, sgd));
        using var checkpoint = store.LoadLatest().Checkpoint!;

        using var other = nn.Sequential(("fc1", nn.Linear(4, 8)));
        var ex = Assert.Throws<ArgumentException>(() => checkpoint.Restore(other));
        Assert.Contains("unexpected 'fc2.weight'", ex.Message);

        using var lars = Lars.ForModel(model);
        Assert.Throws<InvalidOperationException>(() => checkpoint.Restore(model, lars));
    }
}
