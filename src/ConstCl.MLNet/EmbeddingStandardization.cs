namespace ConstCl.MLNet;

/// <summary>
/// Per-dimension standardisation of the L2-normalised embeddings, fitted on the videos given to <c>Fit</c>:
/// <c>y = (e − Mean) · Scale</c> with <c>Scale = 1 / std</c> (population std, as ML.NET's <c>NormalizeMeanVariance</c>),
/// and <c>Scale = 0</c> where the dimension is constant on the fitting set (std below <see cref="MinimumStd"/>), as
/// ML.NET's normaliser does for a zero variance. The in-process path calls <see cref="Apply"/>; the saved ONNX model
/// computes the same float32 <c>Sub</c> and <c>Mul</c> with the same numbers, so both give the same values.
/// </summary>
/// <param name="Mean">Mean of each dimension over the fitting set.</param>
/// <param name="Scale">1 / std of each dimension (0 for a constant dimension).</param>
/// <param name="Count">Videos the statistics were computed from.</param>
internal sealed record EmbeddingStandardization(float[] Mean, float[] Scale, int Count)
{
    /// <summary>A dimension whose std (of unit-norm vectors) is below this is treated as constant: its output is 0.</summary>
    public const double MinimumStd = 1e-6;

    /// <summary>Embedding size D.</summary>
    public int Dimension => Mean.Length;

    /// <summary>The statistics of <paramref name="embeddings"/> (all of length <paramref name="dimension"/>), accumulated in double.</summary>
    /// <exception cref="InvalidOperationException">Fewer than two embeddings: a std cannot be estimated.</exception>
    public static EmbeddingStandardization Fit(IReadOnlyList<float[]> embeddings, int dimension)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.Count < 2)
        {
            throw new InvalidOperationException(
                $"Standardize needs the embeddings of at least 2 decodable videos in the data given to Fit to estimate each dimension's " +
                $"mean and standard deviation; got {embeddings.Count}. Fit on more videos, or set Standardize = false.");
        }

        var sum = new double[dimension];
        foreach (var e in embeddings)
        {
            if (e.Length != dimension)
            {
                throw new ArgumentException($"An embedding has {e.Length} values; expected {dimension}.", nameof(embeddings));
            }

            for (var j = 0; j < dimension; j++)
            {
                sum[j] += e[j];
            }
        }

        var mean = sum.Select(s => s / embeddings.Count).ToArray();
        var squares = new double[dimension];
        foreach (var e in embeddings)
        {
            for (var j = 0; j < dimension; j++)
            {
                var d = e[j] - mean[j];
                squares[j] += d * d;
            }
        }

        var scale = squares.Select(s => Math.Sqrt(s / embeddings.Count)).Select(std => std < MinimumStd ? 0f : (float)(1 / std)).ToArray();
        return new EmbeddingStandardization(mean.Select(m => (float)m).ToArray(), scale, embeddings.Count);
    }

    /// <summary><c>(e − Mean) · Scale</c> in float32, element by element (the ONNX graph's <c>Sub</c> then <c>Mul</c>).</summary>
    public float[] Apply(float[] embedding)
    {
        var result = new float[embedding.Length];
        for (var j = 0; j < result.Length; j++)
        {
            result[j] = (embedding[j] - Mean[j]) * Scale[j];
        }

        return result;
    }
}
