using System.Text;
using ConstCl.Checkpoints;
using ConstCl.Core.Tests.Training;
using ConstCl.Embedding;
using ConstCl.Modeling;
using ConstCl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Checkpoints;

/// <summary>
/// Crafted encoder and checkpoint files (valid checksums, hostile contents): every one either loads or fails with the
/// documented exception naming file, section and tensor, never a crash (a libtorch segfault would kill this test host),
/// another exception type or an allocation the file does not back. A checkpoint that is unusable for any reason is
/// passed over for the previous one.
/// </summary>
public class HostileFileTests
{
    private static readonly ConstClModelOptions Model = PretrainerTests.SmallModel;
    private static readonly PretrainingOptions Options = PretrainerTests.Options(4);
    private static readonly Lazy<(string Encoder, string Checkpoint)> Files = new(() => MakeFiles(tiny: true));
    private static readonly Lazy<(string Encoder, string Checkpoint)> MlpFiles = new(() => MakeFiles(tiny: false));

    // A real Tiny encoder file and a Tiny checkpoint (model, SGD velocities, both generators, sampler), written once;
    // the same from a small MLP (a few kB, so the fuzz can afford hundreds of mutations).
    private static (string, string) MakeFiles(bool tiny)
    {
        var dir = TrainingTestModels.TempDirectory();
        using var model = NewModel(tiny, 1);
        var encoder = Path.Combine(dir, "encoder.constcl");
        EncoderFile.Save(encoder, tiny ? ((ConstClModel)model).Backbone : model, PretrainingOptions.ModelToJson(Model));
        using var optimizer = ConstClOptimizer.Create(Options, model);
        var checkpoint = new CheckpointStore(Path.Combine(dir, "checkpoints"), 3).Save(new CheckpointSnapshot
        {
            Step = 2, Model = model, Options = Options, Optimizer = optimizer, ManagedRandom = new DeterministicRandom(3),
            SamplerPosition = Pretrainer.WriteSamplerState(2, 0), LearningRate = 0.1,
        });
        return (encoder, checkpoint);
    }

    private static nn.Module NewModel(bool tiny, long seed) => tiny ? ConstClModel.Create(Model, seed) : TrainingTestModels.Mlp(seed);

    private static CraftedFile Encoder(bool tiny = true) => CraftedFile.Open((tiny ? Files : MlpFiles).Value.Encoder, EncoderFile.Magic);

    private static CraftedFile Checkpoint(bool tiny = true) => CraftedFile.Open((tiny ? Files : MlpFiles).Value.Checkpoint, ConstCl.Training.Checkpoint.Magic);

    private static string Save(CraftedFile file, string name = "crafted.constcl")
    {
        var path = Path.Combine(TrainingTestModels.TempDirectory(), name);
        file.Save(path);
        return path;
    }

    private static CraftedFile WithEntry(CraftedFile file, string section, int index, Action<CraftedFile.Entry> edit)
    {
        var entries = CraftedFile.Entries(file[section]);
        edit(entries[index]);
        file[section] = CraftedFile.Payload(entries);
        return file;
    }

    [Fact]
    public void UnknownDtypeCodeIsACleanErrorNamingFileSectionAndTensor()
    {
        string name = "";
        var path = Save(WithEntry(Encoder(), "weights", 0, e => { e.DType = 999; name = e.NameText; }));

        var ex = Assert.Throws<CorruptFileException>(() => VideoEncoder.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains($"section 'weights', tensor '{name}': dtype code 999 is not supported", ex.Reason);
    }

    [Theory]
    [InlineData("-1,4", "dimension 0 is negative")]
    [InlineData("1048576,1048576,1024", "takes 4503599627370496 bytes")]           // 2^20·2^20·2^10 float32: refused, not allocated
    [InlineData("9223372036854775807,2", "overflows")]
    [InlineData("4611686018427387904,0", "overflows")]                               // empty, but libtorch would still overflow
    [InlineData("3,5", "which takes 60")]                                            // fits the bytes left, disagrees with the count
    public void NegativeHugeOrInconsistentShapesAreRefusedBeforeAllocating(string dims, string expected)
    {
        var shape = dims.Split(',').Select(long.Parse).ToArray();
        foreach (var (file, section, read) in new (CraftedFile, string, Action<string>)[]
        {
            (Encoder(), "weights", p => EncoderFile.Load(p).Dispose()),
            (Checkpoint(), "model", p => ConstCl.Training.Checkpoint.Read(p).Dispose()),
        })
        {
            var path = Save(WithEntry(file, section, 1, e => { e.Rank = shape.Length; e.Dims = shape; }));
            var ex = Assert.Throws<CorruptFileException>(() => read(path));
            Assert.Contains($"section '{section}', tensor '", ex.Reason);
            Assert.Contains(expected, ex.Reason);
        }
    }

    [Fact]
    public void NaNWeightsAreRefusedAtLoadNamingTheTensor()
    {
        var path = Path.Combine(TrainingTestModels.TempDirectory(), "nan.constcl");
        using (var model = ConstClModel.Create(Model, 1))
        {
            using (torch.no_grad())
            {
                model.Backbone.named_parameters().Single(p => p.name == "stem.conv.weight").parameter.view(-1)[3].fill_(double.NaN);
            }

            EncoderFile.Save(path, model.Backbone, PretrainingOptions.ModelToJson(Model));
        }

        var ex = Assert.Throws<CorruptFileException>(() => VideoEncoder.Load(path));
        Assert.Contains("tensor 'stem.conv.weight': 1 of", ex.Reason);
        Assert.Contains("NaN or ±Infinity", ex.Reason);
    }

    [Theory]
    [InlineData("{\"Step\":-5,\"LearningRate\":0.1}", "step -5 is negative")]
    [InlineData("{\"Step\":2,\"LearningRate\":\"NaN\"}", "")]
    [InlineData("null", "section 'meta' is empty")]
    [InlineData("[1,2]", "")]
    public void ImplausibleCheckpointMetaIsCorruptAndTheStoreFallsBack(string meta, string expected)
    {
        var dir = TrainingTestModels.TempDirectory();
        File.Copy(Files.Value.Checkpoint, Path.Combine(dir, "step-000000001.ckpt"));
        var file = Checkpoint();
        file["meta"] = Encoding.UTF8.GetBytes(meta);
        file.Save(Path.Combine(dir, "step-000000002.ckpt"));

        var result = new CheckpointStore(dir, 3).LoadLatest();
        using var checkpoint = result.Checkpoint!;
        Assert.EndsWith("step-000000001.ckpt", checkpoint.Path);
        Assert.Contains(expected, Assert.Single(result.Skipped).Reason);
    }

    [Fact]
    public void ACheckpointThatDoesNotFitTheModelFallsBackToThePrevious()
    {
        var dir = TrainingTestModels.TempDirectory();
        using var model = TrainingTestModels.Mlp(1);
        using var wider = nn.Sequential(("fc1", nn.Linear(4, 16)), ("fc2", nn.Linear(16, 2)));
        var store = new CheckpointStore(dir, 3);
        store.Save(new CheckpointSnapshot { Step = 1, Model = model, Options = Options });
        store.Save(new CheckpointSnapshot { Step = 2, Model = wider, Options = Options });

        var result = store.LoadLatest(model);
        using var checkpoint = result.Checkpoint!;
        Assert.Equal(1, checkpoint.Step);
        var problem = Assert.Single(result.Skipped);
        Assert.Contains("section 'model' does not fit the Sequential: missing 'bn.weight'", problem.Reason);
        Assert.Contains("'fc1.weight' is Float32[16,4], the module has Float32[8,4]", problem.Reason);
        checkpoint.Restore(model);
    }

    // Seeded mutations of one kind each (or two combined): byte flips anywhere in a section, dtype codes, ranks,
    // dimensions (negative, huge, off by one), byte counts, tensor counts, names (renamed, duplicated, empty, too long,
    // invalid UTF-8), NaN values, duplicated entries, meta and options JSON, truncated or padded sections, dropped sections.
    private static string Mutate(CraftedFile file, Random r, bool checkpoint)
    {
        var kind = r.Next(15);
        return kind switch
        {
            < 8 => MutateEntry(file, r, checkpoint, kind),
            < 14 => MutateSection(file, r, checkpoint, kind - 8),
            _ => MutateEntry(file, r, checkpoint, r.Next(8)) + " and " + MutateSection(file, r, checkpoint, r.Next(6)),
        };
    }

    private static string MutateEntry(CraftedFile file, Random r, bool checkpoint, int kind)
    {
        var tensorSections = checkpoint ? new[] { "model", "optimizer" } : ["weights"];
        var section = tensorSections[r.Next(tensorSections.Length)];
        var entries = CraftedFile.Entries(file[section]);
        var e = entries[r.Next(entries.Count)];
        var count = entries.Count;
        switch (kind)
        {
            case 0:
                e.DType = new[] { 999, -1, int.MaxValue, int.MinValue, 5, 7, 8, 9, 10, 11, 12, 13, 15, 16, r.Next() }[r.Next(15)];
                break;
            case 1:
                if (e.Rank > 0)
                {
                    e.Dims[r.Next(e.Rank)] = new[] { -1, 0, 1, 1L << 20, 1L << 40, long.MaxValue, long.MinValue, e.Dims[0] + 1 }[r.Next(8)];
                }

                break;
            case 2:
                e.Rank = new[] { -1, 0, 9, 17, int.MaxValue, e.Rank + 1, Math.Max(0, e.Rank - 1) }[r.Next(7)];
                if (r.Next(2) == 0)
                {
                    e.Dims = Enumerable.Range(0, Math.Clamp(e.Rank, 0, 9)).Select(_ => (long)r.Next(1, 5)).ToArray();
                }

                break;
            case 3:
                e.ByteCount = new[] { e.ByteCount + 1, e.ByteCount - 1, 0, -1, long.MaxValue, long.MinValue }[r.Next(6)];
                break;
            case 4:
                e.Name = r.Next(5) switch
                {
                    0 => entries[r.Next(entries.Count)].Name,
                    1 => [],
                    2 => Encoding.UTF8.GetBytes(new string('w', 2000)),
                    3 => [0xC3, 0x28, 0xFF],
                    _ => Encoding.UTF8.GetBytes("backbone." + e.NameText),
                };
                break;
            case 5:
                count = new[] { entries.Count + 1, entries.Count - 1, -1, int.MaxValue, 0 }[r.Next(5)];
                break;
            case 6:
                if (e.DType == (int)ScalarType.Float32 && e.Bytes.Length >= 4)
                {
                    BitConverter.GetBytes(r.Next(2) == 0 ? float.NaN : float.NegativeInfinity).CopyTo(e.Bytes, 4 * r.Next(e.Bytes.Length / 4));
                }

                break;
            default:
                entries.Insert(r.Next(entries.Count), entries[r.Next(entries.Count)]);
                count = entries.Count;
                break;
        }

        file[section] = CraftedFile.Payload(entries, count);
        return $"entry kind {kind} on '{e.NameText}' in '{section}'";
    }

    private static string MutateSection(CraftedFile file, Random r, bool checkpoint, int kind)
    {
        var any = file.Sections[r.Next(file.Sections.Count)];
        switch (kind)
        {
            case 0:
                for (var i = r.Next(1, 9); i > 0 && any.Payload.Length > 0; i--)
                {
                    // Half the flips land in the first 512 bytes, where the first headers are.
                    any.Payload[r.Next(2) == 0 ? r.Next(Math.Min(512, any.Payload.Length)) : r.Next(any.Payload.Length)] ^= (byte)(1 << r.Next(8));
                }

                return $"flipped bits in '{any.Name}'";
            case 1:
                file["meta"] = Encoding.UTF8.GetBytes(new[]
                {
                    "{\"Step\":-5}", "{\"Step\":1e30}", "{}", "null", "[]", "\"x\"", "{\"LearningRate\":\"Infinity\"}", "{\"EncoderType\":null}",
                    "{\"Step\":2147483647,\"OptimizerType\":\"Lars\"}", "{\"EncoderType\":3}", "{",
                }[r.Next(11)]);
                return "meta";
            case 2:
            {
                var options = checkpoint ? "options" : "model-options";
                file[options] = Encoding.UTF8.GetBytes(new[] { "", "[]", "{}", "null", "{\"Backbone\":5}", "{\"StageWidths\":\"x\"}", "\u00ff\u00fe" }[r.Next(7)]);
                return options;
            }

            case 3:
                file[any.Name] = r.Next(2) == 0 ? any.Payload[..r.Next(any.Payload.Length + 1)] : [.. any.Payload, .. new byte[r.Next(1, 40)]];
                return $"resized '{any.Name}'";
            case 4:
                file.Sections.Remove(any);
                return $"dropped '{any.Name}'";
            default:
                // The generator and sampler states: another length or all zeros.
                var state = checkpoint ? new[] { "rng.torch", "rng.managed", "sampler" }[r.Next(3)] : "meta";
                file[state] = new byte[new[] { 0, 1, 16, 32, 5056, r.Next(6000) }[r.Next(6)]];
                return $"replaced '{state}'";
        }
    }

    [Theory]
    [InlineData(true, 6)]
    [InlineData(false, 400)]
    public void MutatedEncoderFilesLoadOrFailWithTheDocumentedException(bool tiny, int mutations)
    {
        var pristine = Encoder(tiny);
        var r = new Random(14);
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>();
        using var mlp = TrainingTestModels.Mlp(2);
        for (var i = 0; i < mutations; i++)
        {
            var file = pristine.Clone();
            var what = Mutate(file, r, checkpoint: false);
            var path = Save(file);
            try
            {
                if (tiny)
                {
                    VideoEncoder.Load(path).Dispose();
                }
                else
                {
                    using var contents = EncoderFile.Load(path);
                    contents.LoadInto(mlp);
                }

                Count("loaded");
            }
            catch (CorruptFileException ex)
            {
                Assert.Equal(path, ex.FilePath);
                Count("corrupt");
            }
            catch (ArgumentException)
            {
                Count("argument");   // documented: options or weights that do not describe the module
            }
            catch (Exception ex)
            {
                failures.Add($"#{i} ({what}): {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        // The mutations must mostly reach the checks (not all land in weight values that still load).
        Assert.True(outcomes.GetValueOrDefault("corrupt") >= mutations / 3, string.Join(", ", outcomes));
        return;

        void Count(string outcome) => outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
    }

    [Theory]
    [InlineData(true, 6)]
    [InlineData(false, 400)]
    public void MutatedCheckpointsAreSkippedForThePreviousOrRestoreCleanly(bool tiny, int mutations)
    {
        var pristine = Checkpoint(tiny);
        var dir = TrainingTestModels.TempDirectory();
        File.Copy((tiny ? Files : MlpFiles).Value.Checkpoint, Path.Combine(dir, "step-000000001.ckpt"));
        var newest = Path.Combine(dir, "step-000000002.ckpt");
        var store = new CheckpointStore(dir, 3);
        using var model = NewModel(tiny, 2);
        using var optimizer = ConstClOptimizer.Create(Options, model);
        var random = new DeterministicRandom(1);
        var r = new Random(6);
        var failures = new List<string>();
        var skipped = 0;
        for (var i = 0; i < mutations; i++)
        {
            var file = pristine.Clone();
            var what = Mutate(file, r, checkpoint: true);
            file.Save(newest);
            try
            {
                var result = store.LoadLatest(model, optimizer, random);
                using var checkpoint = result.Checkpoint;
                Assert.NotNull(checkpoint);   // the pristine step 1 at worst
                skipped += result.Skipped.Count;
                checkpoint.Restore(model, optimizer, random);
            }
            catch (Exception ex)
            {
                failures.Add($"#{i} ({what}): {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(skipped >= mutations / 3, $"only {skipped} of {mutations} mutated checkpoints were skipped");
    }
}
