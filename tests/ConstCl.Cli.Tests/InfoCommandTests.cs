using System.Text.Json;
using ConstCl.Cli;

namespace ConstCl.Cli.Tests;

public class InfoCommandTests
{
    private static readonly object ConsoleGate = new();

    [Fact]
    public void PaperJsonIsOneObjectWithTheOfficialCounts()
    {
        var (code, stdout) = Run("info", "--preset", "paper", "--json");
        Assert.Equal(0, code);
        var text = stdout.Trim();
        Assert.DoesNotContain('\n', text);
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        Assert.Equal("paper", root.GetProperty("preset").GetString());
        var p = root.GetProperty("trainableParameters");
        // Spec §7 (official TF code): trainable parameters of ConST-CL and CVRL.
        Assert.Equal(31_672_128, p.GetProperty("backbone").GetInt64());
        Assert.Equal(20_207_616, p.GetProperty("res5Local").GetInt64());
        Assert.Equal(12_857_472, p.GetProperty("globalHead").GetInt64());
        Assert.Equal(6_928_356, p.GetProperty("localHead").GetInt64());
        Assert.Equal(71_665_572, p.GetProperty("total").GetInt64());
        Assert.Equal(44_535_744, root.GetProperty("cvrlBaselineTrainableParameters").GetInt64());
        Assert.Equal(
            "{\"preset\":\"paper\",\"trainableParameters\":{\"backbone\":31672128,\"res5Local\":20207616,\"globalHead\":12857472,\"localHead\":6928356,\"total\":71665572},\"cvrlBaselineTrainableParameters\":44535744}",
            text);
    }

    [Fact]
    public void TinyTableShowsCountsAndShapes()
    {
        var (code, stdout) = Run("info", "--preset", "tiny");
        Assert.Equal(0, code);
        Assert.Contains("preset 'tiny'", stdout);
        Assert.Contains("res5_local", stdout);
        Assert.Contains("[B, 3, 8, 64, 64]", stdout);
        Assert.Contains("[2B, 256, 4, 2, 2]", stdout);
        Assert.Contains("[2B, 128]", stdout);   // the tiny preset projects through Small's head
    }

    [Fact]
    public void UnknownPresetFails()
    {
        var (code, _) = Run("info", "--preset", "huge");
        Assert.NotEqual(0, code);
    }

    private static (int Code, string Stdout) Run(params string[] args)
    {
        lock (ConsoleGate)
        {
            var original = Console.Out;
            var originalError = Console.Error;
            using var writer = new StringWriter();
            using var error = new StringWriter();
            Console.SetOut(writer);
            Console.SetError(error);
            try
            {
                var code = Program.BuildRootCommand().Parse(args).Invoke();
                return (code, writer.ToString());
            }
            finally
            {
                Console.SetOut(original);
                Console.SetError(originalError);
            }
        }
    }
}
