using System.Text.Json;
using ConstCl.MLNet.Evaluation;

namespace ConstCl.MLNet.Tests.Evaluation;

public sealed class ProbeReportTests
{
    [Fact]
    public void Files_hold_the_result_and_the_card()
    {
        string dir = Path.Combine(Path.GetTempPath(), "constcl-probereport-" + Guid.NewGuid().ToString("N"));
        try
        {
            // 3 classes, one name with a comma (CSV quoting); scores chosen so the confusion matrix is known by hand.
            string[] names = ["walk", "run, fast", "jump"];
            int[] labels = [0, 0, 1, 2, 2];
            float[][] scores = [[3, 1, 0], [0, 2, 1], [0, 5, 1], [1, 0, 2], [2, 1, 0]];
            var result = ClassificationResult.FromScores("LbfgsMaximumEntropy", names, 9, labels, scores, [new("l2Regularization", "1")]);
            var card = new ProtocolCard { EncoderHash = "abc", Encoder = "e.constcl", Dataset = "UCF101", Split = "2", Method = result.Method, Seed = 7, ClipCount = 10, CropCount = 3 };
            var files = ProbeReport.Write(dir, result, card);

            Assert.Equal(5, files.Count);
            Assert.Equal(
                ["true\\predicted,walk,\"run, fast\",jump", "walk,1,1,0", "\"run, fast\",0,1,0", "jump,1,0,1"],
                File.ReadAllLines(Path.Combine(dir, ProbeReport.ConfusionFile)));
            Assert.Equal(
                ["class_index,class,support,correct,accuracy,top5_accuracy", "0,walk,2,1,0.5,1", "1,\"run, fast\",1,1,1,1", "2,jump,2,1,0.5,1"],
                File.ReadAllLines(Path.Combine(dir, ProbeReport.PerClassFile)));
            using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, ProbeReport.MetricsFile)));
            Assert.Equal(0.6, metrics.RootElement.GetProperty("top1").GetDouble(), 12);                 // 3 of 5
            Assert.Equal((0.5 + 1 + 0.5) / 3, metrics.RootElement.GetProperty("meanClassAccuracy").GetDouble(), 12);
            Assert.Equal(9, metrics.RootElement.GetProperty("train").GetInt32());
            using var cardJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, ProbeReport.ProtocolJsonFile)));
            Assert.Equal("abc", cardJson.RootElement.GetProperty("encoderHash").GetString());
            Assert.Equal(7, cardJson.RootElement.GetProperty("seed").GetInt32());
            Assert.Contains("10 clips × 3 crops", File.ReadAllText(Path.Combine(dir, ProbeReport.ProtocolMarkdownFile)), StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(dir, "*.tmp*"));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
