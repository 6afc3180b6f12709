using System.Numerics;

namespace ConstCl.MLNet.Evaluation;

/// <summary>
/// Exact cosine nearest neighbours of query embeddings among reference embeddings (both L2-normalised here, so the dot
/// product is the cosine similarity). Equal similarities keep the earlier reference first, the rule
/// <see cref="KnnClassifier"/> votes with. A brute-force scan: O(queries × references × D), parallel over queries.
/// The search itself runs inside <see cref="ProbeEvaluation"/> (<see cref="ProbeSplitResult.Neighbours"/>);
/// <see cref="Cosine"/> gives the similarity it ranks by.
/// </summary>
public static class NearestNeighbours
{
    /// <summary>
    /// The cosine similarity of two embeddings, computed as the neighbour search and the k-NN classifier compute it:
    /// both vectors scaled to unit length, then their dot product in single precision.
    /// </summary>
    /// <param name="a">An embedding <c>[D]</c>.</param>
    /// <param name="b">An embedding of the same dimension <c>[D]</c>.</param>
    /// <returns>A value in [−1, 1] (up to rounding); 0 when either vector is zero.</returns>
    /// <exception cref="ArgumentNullException">Either vector is null.</exception>
    /// <exception cref="ArgumentException">The vectors differ in length.</exception>
    public static float Cosine(float[] a, float[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Both vectors must have the same dimension ({a.Length} and {b.Length}).", nameof(b));
        }

        return Dot(Normalized(a), Normalized(b));
    }

    /// <summary>The indices into <paramref name="references"/> of each query's <paramref name="k"/> most similar references, best first.</summary>
    /// <param name="queries">Query vectors, all of one dimension.</param>
    /// <param name="references">Reference vectors, same dimension.</param>
    /// <param name="k">Neighbours per query, ≥ 1 (capped at the number of references).</param>
    internal static int[][] Find(IReadOnlyList<float[]> queries, IReadOnlyList<float[]> references, int k)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(references);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (references.Count == 0)
        {
            throw new ArgumentException("At least one reference vector is needed.", nameof(references));
        }

        int dim = references[0].Length;
        if (queries.Concat(references).Any(v => v.Length != dim))
        {
            throw new ArgumentException($"Every vector must have the same dimension ({dim}).", nameof(queries));
        }

        var reference = references.Select(Normalized).ToArray();
        int take = Math.Min(k, reference.Length);
        var result = new int[queries.Count][];
        Parallel.For(0, queries.Count, i =>
        {
            var q = Normalized(queries[i]);
            var similarity = new float[reference.Length];
            for (int j = 0; j < reference.Length; j++)
            {
                similarity[j] = Dot(q, reference[j]);
            }

            result[i] = Enumerable.Range(0, reference.Length).OrderByDescending(j => similarity[j]).ThenBy(j => j).Take(take).ToArray();
        });
        return result;
    }

    /// <summary><paramref name="v"/> scaled to unit length (a zero vector stays zero).</summary>
    internal static float[] Normalized(float[] v)
    {
        double norm = 0;
        foreach (float x in v)
        {
            norm += (double)x * x;
        }

        double scale = 1.0 / Math.Max(Math.Sqrt(norm), 1e-12);
        var result = new float[v.Length];
        for (int d = 0; d < v.Length; d++)
        {
            result[d] = (float)(v[d] * scale);
        }

        return result;
    }

    /// <summary>The dot product of two vectors of one length (SIMD, then the remainder).</summary>
    internal static float Dot(float[] a, float[] b)
    {
        var sum = Vector<float>.Zero;
        int d = 0;
        for (; d <= a.Length - Vector<float>.Count; d += Vector<float>.Count)
        {
            sum += new Vector<float>(a, d) * new Vector<float>(b, d);
        }

        float total = Vector.Sum(sum);
        for (; d < a.Length; d++)
        {
            total += a[d] * b[d];
        }

        return total;
    }
}
