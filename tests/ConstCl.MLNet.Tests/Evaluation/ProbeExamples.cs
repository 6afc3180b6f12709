using ConstCl.MLNet.Evaluation;

namespace ConstCl.MLNet.Tests.Evaluation;

/// <summary>Small labelled embedding sets for the evaluation tests: Gaussian clusters around random unit means, L2-normalised.</summary>
internal static class ProbeExamples
{
    internal static (List<LabeledEmbedding> Train, List<LabeledEmbedding> Test, string[] Classes) Clusters(int classes, int trainPerClass, int testPerClass, int dim, double noise, int seed)
    {
        var rng = new Random(seed);
        var means = Enumerable.Range(0, classes).Select(_ => Normalize(Enumerable.Range(0, dim).Select(_ => (float)Gaussian(rng)).ToArray())).ToArray();
        List<LabeledEmbedding> Make(int perClass)
        {
            var list = new List<LabeledEmbedding>();
            for (int i = 0; i < perClass * classes; i++)
            {
                int c = i % classes;
                list.Add(new LabeledEmbedding(c, Normalize(means[c].Select(m => (float)(m + (noise / Math.Sqrt(dim) * Gaussian(rng)))).ToArray())));
            }

            return list;
        }

        return (Make(trainPerClass), Make(testPerClass), Enumerable.Range(0, classes).Select(c => $"class_{c}").ToArray());
    }

    internal static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    internal static float[] Normalize(float[] v)
    {
        double norm = Math.Sqrt(v.Sum(x => (double)x * x));
        return v.Select(x => (float)(x / norm)).ToArray();
    }
}
