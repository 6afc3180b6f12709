using System.Text.Json;
using System.Text.Json.Nodes;
using ConstCl.MLNet.Evaluation;

namespace ConstCl.Cli.Commands.Probe;

/// <summary>
/// The <c>--json-out</c> document of <c>constcl probe</c>. One split or manifests:
/// <c>{"top1","top5","meanClassAccuracy","recall","classes","train","test","method","split"}</c> (fractions in [0, 1], video counts);
/// <c>recall</c> maps k (1, 5, 10, 20, 50, those not above the training videos) to retrieval recall@k, e.g. <c>{"1":0.41,"5":0.62}</c>.
/// Several splits (<c>--split all</c>): the same keys where <c>top1</c>, <c>top5</c>, <c>meanClassAccuracy</c> are the
/// means over the splits (<c>recall</c> too, for the k every split has), <c>train</c> and <c>test</c> the video counts summed over the splits, <c>split</c> = <c>"all"</c>,
/// plus <c>"splits":[…]</c> holding one single-split object per split.
/// </summary>
internal static class ProbeSummary
{
    /// <summary>The document for <paramref name="results"/> (at least one).</summary>
    internal static string ToJson(IReadOnlyList<ProbeSplitResult> results)
    {
        JsonObject root;
        if (results.Count == 1)
        {
            root = One(results[0]);
        }
        else
        {
            var first = results[0].Result;
            root = new JsonObject
            {
                ["top1"] = results.Average(r => r.Result.Top1),
                ["top5"] = results.Average(r => r.Result.Top5),
                ["meanClassAccuracy"] = results.Average(r => r.Result.MeanClassAccuracy),
                ["recall"] = Recall(results[0].Recall.Keys.Where(k => results.All(r => r.Recall.ContainsKey(k))).ToDictionary(k => k, k => results.Average(r => r.Recall[k]))),
                ["classes"] = first.ClassNames.Count,
                ["train"] = results.Sum(r => r.Result.TrainCount),
                ["test"] = results.Sum(r => r.Result.TestCount),
                ["method"] = first.Method,
                ["split"] = "all",
                ["splits"] = new JsonArray(results.Select(r => (JsonNode)One(r)).ToArray()),
            };
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject One(ProbeSplitResult r)
    {
        ClassificationResult x = r.Result;
        return new JsonObject
        {
            ["top1"] = x.Top1,
            ["top5"] = x.Top5,
            ["meanClassAccuracy"] = x.MeanClassAccuracy,
            ["recall"] = Recall(r.Recall),
            ["classes"] = x.ClassNames.Count,
            ["train"] = x.TrainCount,
            ["test"] = x.TestCount,
            ["method"] = x.Method,
            ["split"] = r.Split.Split is int s ? JsonValue.Create(s) : JsonValue.Create("manifests"),
        };
    }

    private static JsonObject Recall(IReadOnlyDictionary<int, double> recall)
    {
        var o = new JsonObject();
        foreach (var (k, value) in recall.OrderBy(kv => kv.Key))
        {
            o[k.ToString(System.Globalization.CultureInfo.InvariantCulture)] = value;
        }

        return o;
    }
}
