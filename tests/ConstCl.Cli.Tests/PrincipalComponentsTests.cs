using ConstCl.Cli.Pictures;

namespace ConstCl.Cli.Tests;

public sealed class PrincipalComponentsTests
{
    [Fact]
    public void Points_on_two_known_orthogonal_axes_project_to_their_coefficients()
    {
        // x = (5, 5, 5) + a·u + b·v with u = (1, 1, 0)/√2, v = (0, 0, 1), a = ±3, b = ±1, Σa = Σb = Σab = 0:
        // covariance = (36 uuᵀ + 4 vvᵀ) / 3, so the axes are u and v with variances 12 and 4/3 (90 % and 10 %).
        double[] a = [3, -3, 3, -3], b = [1, 1, -1, -1];
        double r = Math.Sqrt(0.5);
        var vectors = a.Zip(b, (x, y) => new[] { (float)(5 + (x * r)), (float)(5 + (x * r)), (float)(5 + y) }).ToArray();

        var pca = PrincipalComponents.Project(vectors, 2);

        Assert.Equal(12, pca.Variances[0], 5);
        Assert.Equal(4.0 / 3, pca.Variances[1], 5);
        Assert.Equal(40.0 / 3, pca.TotalVariance, 5);
        Assert.Equal(0.9, pca.ExplainedFraction(0), 6);
        Assert.Equal(0.1, pca.ExplainedFraction(1), 6);
        Assert.Equal([r, r, 0], pca.Axes[0], new Close(1e-6));
        Assert.Equal([0, 0, 1], pca.Axes[1], new Close(1e-6));
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i], pca.Points[i][0], 5);       // float inputs: 1e-6 relative
            Assert.Equal(b[i], pca.Points[i][1], 5);
        }
    }

    [Fact]
    public void Leading_axes_equal_a_brute_force_eigendecomposition_of_the_covariance()
    {
        // Anisotropic Gaussian data (standard deviations 5, 3, 2, 1, .5, .2) mixed by a fixed rotation-like matrix.
        var rng = new Random(3);
        double[] scales = [5, 3, 2, 1, 0.5, 0.2];
        int n = 60, dim = scales.Length;
        var mix = Enumerable.Range(0, dim).Select(_ => Enumerable.Range(0, dim).Select(_ => rng.NextDouble() - 0.5).ToArray()).ToArray();
        var vectors = Enumerable.Range(0, n).Select(_ =>
        {
            var z = scales.Select(s => s * Gaussian(rng)).ToArray();
            return Enumerable.Range(0, dim).Select(d => (float)(1 + Enumerable.Range(0, dim).Sum(e => mix[d][e] * z[e]))).ToArray();
        }).ToArray();

        var pca = PrincipalComponents.Project(vectors, 2);

        // Brute force: the covariance with nested loops, then cyclic Jacobi rotations until it is diagonal.
        var mean = Enumerable.Range(0, dim).Select(d => vectors.Average(v => (double)v[d])).ToArray();
        var cov = new double[dim, dim];
        for (int i = 0; i < dim; i++)
        {
            for (int j = 0; j < dim; j++)
            {
                cov[i, j] = vectors.Sum(v => (v[i] - mean[i]) * (v[j] - mean[j])) / (n - 1);
            }
        }

        var (values, vectorsOut) = Jacobi(cov);
        var order = Enumerable.Range(0, dim).OrderByDescending(i => values[i]).ToArray();
        Assert.Equal(Enumerable.Range(0, dim).Sum(i => cov[i, i]), pca.TotalVariance, 9);
        for (int c = 0; c < 2; c++)
        {
            Assert.Equal(values[order[c]], pca.Variances[c], 6);
            double alignment = Math.Abs(Enumerable.Range(0, dim).Sum(d => vectorsOut[d, order[c]] * pca.Axes[c][d]));
            Assert.Equal(1, alignment, 8);
        }
    }

    [Fact]
    public void Degenerate_inputs_give_zero_coordinates_not_errors()
    {
        var same = PrincipalComponents.Project([[1f, 2f], [1f, 2f], [1f, 2f]], 2);
        Assert.All(same.Points, p => Assert.Equal([0.0, 0.0], p));
        Assert.Equal(0, same.ExplainedFraction(0));
        var one = PrincipalComponents.Project([[1f, 2f, 3f]], 2);
        Assert.Equal([0.0, 0.0], one.Points[0]);
        Assert.Single(PrincipalComponents.Project([[1f], [2f]], 2).Axes);   // k is capped at D
        Assert.Throws<ArgumentException>(() => PrincipalComponents.Project([], 2));
        Assert.Throws<ArgumentException>(() => PrincipalComponents.Project([[1f], [1f, 2f]], 2));
    }

    private static (double[] Values, double[,] Vectors) Jacobi(double[,] input)
    {
        int n = input.GetLength(0);
        var a = (double[,])input.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            v[i, i] = 1;
        }

        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    off += a[p, q] * a[p, q];
                }
            }

            if (off < 1e-24)
            {
                break;
            }

            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300)
                    {
                        continue;
                    }

                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    double c = 1 / Math.Sqrt((t * t) + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = (c * akp) - (s * akq);
                        a[k, q] = (s * akp) + (c * akq);
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = (c * apk) - (s * aqk);
                        a[q, k] = (s * apk) + (c * aqk);
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = (c * vkp) - (s * vkq);
                        v[k, q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }

        return (Enumerable.Range(0, n).Select(i => a[i, i]).ToArray(), v);
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private sealed class Close(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
