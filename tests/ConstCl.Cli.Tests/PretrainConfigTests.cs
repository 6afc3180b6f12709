using ConstCl.Training;

namespace ConstCl.Cli.Tests;

/// <summary>
/// <c>constcl pretrain --config FILE</c>: starts from the <c>options.json</c> a run wrote; flags given on the command line
/// override it, defaults do not; a missing or invalid file, or <c>--config</c> with <c>--preset</c>, is a usage error (exit 2)
/// that names the file.
/// </summary>
public sealed class PretrainConfigTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "constcl-cli-pretrain-config-" + Guid.NewGuid().ToString("N"));

    public PretrainConfigTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void A_run_started_from_another_runs_options_json_has_its_options_except_the_flags_given()
    {
        string first = Path.Combine(_dir, "first"), second = Path.Combine(_dir, "second");
        var (code, _, err) = CliRun.Invoke(
            "pretrain", "--synthetic", "--preset", "tiny", "--steps", "1", "--batch-size", "2", "--seed", "5", "--lr", "0.003",
            "--flip", "none", "--log-every", "1", "--out", first);
        Assert.True(code == ExitCodes.Success, err);
        string config = Path.Combine(first, Pretrainer.OptionsFileName);
        var written = PretrainingOptions.FromJson(File.ReadAllText(config));

        // --steps and --batch-size given: they win; the seed, learning rate, flip mode, preset network … come from the file,
        // although --seed and --device have defaults of their own.
        (code, _, err) = CliRun.Invoke("pretrain", "--synthetic", "--config", config, "--steps", "2", "--batch-size", "3", "--out", second);
        Assert.True(code == ExitCodes.Success, err);
        var resumed = PretrainingOptions.FromJson(File.ReadAllText(Path.Combine(second, Pretrainer.OptionsFileName)));
        Assert.Equal(written.WithSteps(2) with { BatchSize = 3 }, resumed);
        Assert.Equal(5, resumed.Seed);
        Assert.Equal(0.003, resumed.BaseLearningRate);
        Assert.Equal(Augmentation.FlipMode.None, resumed.Augmentation.FlipMode);
    }

    [Fact]
    public void Config_with_preset_a_missing_file_and_an_invalid_file_are_usage_errors_that_name_the_file()
    {
        string config = Path.Combine(_dir, "options.json");
        File.WriteAllText(config, PretrainingOptions.ForPreset("tiny").ToJson());
        var (code, _, err) = CliRun.Invoke("pretrain", "--synthetic", "--config", config, "--preset", "tiny", "--out", Path.Combine(_dir, "a"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("constcl pretrain: --config and --preset both choose the starting options", err);

        string missing = Path.Combine(_dir, "no-such.json");
        (code, _, err) = CliRun.Invoke("pretrain", "--synthetic", "--config", missing, "--out", Path.Combine(_dir, "b"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"--config: cannot read '{missing}'", err);

        string typo = Path.Combine(_dir, "typo.json");
        File.WriteAllText(typo, PretrainingOptions.ForPreset("tiny").ToJson().Replace("\"Steps\"", "\"Stepz\"", StringComparison.Ordinal));
        (code, _, err) = CliRun.Invoke("pretrain", "--synthetic", "--config", typo, "--out", Path.Combine(_dir, "c"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"--config '{typo}'", err);
        Assert.Contains("Stepz", err);
        Assert.False(Directory.Exists(Path.Combine(_dir, "c")));                     // refused before any work
    }
}
