using Microsoft.ML.OnnxRuntime;

namespace ConstCl.Core.Tests.Export;

/// <summary>
/// Runs an exported model with ONNX Runtime (no TorchSharp involved) — the check that the bytes the
/// exporter writes mean what the TorchSharp module computes. Test-only: ConstCl.Core never references ONNX Runtime.
/// </summary>
internal static class OnnxParity
{
    /// <summary>One named float or int64 input.</summary>
    internal sealed record Input(string Name, long[] Shape, float[]? Floats = null, long[]? Longs = null);

    /// <summary>Runs <paramref name="model"/> (bytes) on the inputs and returns its first output's data and shape.</summary>
    public static (float[] Data, long[] Shape) Run(byte[] model, params Input[] inputs)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        return Run(session, inputs);
    }

    /// <summary>Runs a model file.</summary>
    public static (float[] Data, long[] Shape) RunFile(string path, params Input[] inputs)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        return Run(session, inputs);
    }

    private static (float[] Data, long[] Shape) Run(InferenceSession session, Input[] inputs)
    {
        var values = new Dictionary<string, OrtValue>(StringComparer.Ordinal);
        try
        {
            foreach (var input in inputs)
            {
                values[input.Name] = input.Floats is not null
                    ? OrtValue.CreateTensorValueFromMemory(input.Floats, input.Shape)
                    : OrtValue.CreateTensorValueFromMemory(input.Longs!, input.Shape);
            }

            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, values, session.OutputNames);
            var output = results[0];
            return (output.GetTensorDataAsSpan<float>().ToArray(), output.GetTensorTypeAndShape().Shape);
        }
        finally
        {
            foreach (var value in values.Values)
            {
                value.Dispose();
            }
        }
    }
}
