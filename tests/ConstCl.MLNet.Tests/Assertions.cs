using Microsoft.ML;
using Microsoft.ML.Data;

namespace ConstCl.MLNet.Tests;

internal static class Assertions
{
    public static float[][] Embeddings(IDataView view, string column = "Embedding") =>
        view.GetColumn<float[]>(column).ToArray();

    public static void Close(float[][] expected, float[][] actual, float tolerance = 1e-4f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Length, actual[i].Length);
            for (var j = 0; j < expected[i].Length; j++)
            {
                Assert.True(Math.Abs(expected[i][j] - actual[i][j]) <= tolerance,
                    $"row {i}, element {j}: expected {expected[i][j]}, got {actual[i][j]} (tolerance {tolerance})");
            }
        }
    }

    /// <summary>
    /// Standardised embeddings that agree: each value within <c>tolerance + rawTolerance · scale_j</c>, i.e. the raw
    /// (L2-normalised) embeddings agree within <paramref name="rawTolerance"/> before the same standardisation (whose
    /// 1/std factor magnifies the float32 differences between TorchSharp and ONNX Runtime).
    /// </summary>
    public static void CloseStandardized(float[][] expected, float[][] actual, EmbeddingStandardization standardization, float tolerance = 1e-4f, double rawTolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Length, actual[i].Length);
            for (var j = 0; j < expected[i].Length; j++)
            {
                var allowed = tolerance + rawTolerance * standardization.Scale[j];
                var difference = Math.Abs(expected[i][j] - actual[i][j]);
                Assert.True(difference <= allowed,
                    $"row {i}, element {j}: expected {expected[i][j]}, got {actual[i][j]} (allowed {allowed}: scale {standardization.Scale[j]}, " +
                    $"raw difference {difference / Math.Max(standardization.Scale[j], 1e-30)})");
            }
        }
    }

    public static void UnitNorm(float[] v) =>
        Assert.InRange(Math.Sqrt(v.Sum(x => (double)x * x)), 1 - 1e-5, 1 + 1e-5);

    public static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null && !ex.Message.Contains("ConstCl cannot embed", StringComparison.Ordinal))
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    public static string AllMessages(Exception ex)
    {
        var messages = new List<string>();
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
            if (e is AggregateException agg)
            {
                messages.AddRange(agg.InnerExceptions.Select(AllMessages));
            }
        }

        return string.Join(" | ", messages);
    }
}
