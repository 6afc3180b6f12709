namespace ConstCl.MLNet.Evaluation;

/// <summary>One row of the per-class table of a <see cref="ClassificationResult"/>.</summary>
/// <param name="ClassIndex">Zero-based class index.</param>
/// <param name="Name">Class name.</param>
/// <param name="Support">Test examples of this class.</param>
/// <param name="Correct">Of those, how many were predicted as this class (top-1).</param>
/// <param name="Accuracy"><c>Correct / Support</c> (NaN when the class has no test example).</param>
/// <param name="Top5Accuracy">Fraction of this class's test examples whose class is among the five best scores (NaN when none).</param>
public sealed record ClassAccuracy(int ClassIndex, string Name, int Support, int Correct, double Accuracy, double Top5Accuracy);
