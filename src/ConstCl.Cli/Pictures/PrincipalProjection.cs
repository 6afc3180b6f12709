namespace ConstCl.Cli.Pictures;

/// <summary>Vectors projected on their leading principal axes (see <see cref="PrincipalComponents"/>).</summary>
/// <param name="Points">Per vector, its coordinates on the axes, <c>[n][k]</c>.</param>
/// <param name="Axes">The unit principal axes, largest variance first, <c>[k][D]</c>.</param>
/// <param name="Variances">Variance of the data along each axis (sample variance, n − 1).</param>
/// <param name="TotalVariance">The data's total variance (trace of the covariance).</param>
internal sealed record PrincipalProjection(double[][] Points, double[][] Axes, double[] Variances, double TotalVariance)
{
    /// <summary>The share of the total variance axis <paramref name="component"/> explains (0 when the data has none).</summary>
    internal double ExplainedFraction(int component) => TotalVariance > 0 ? Variances[component] / TotalVariance : 0;
}
