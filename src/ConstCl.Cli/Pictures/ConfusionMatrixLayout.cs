namespace ConstCl.Cli.Pictures;

/// <summary>
/// Sizes of a confusion-matrix picture that stays readable at UCF101's 101 classes: every class gets a cell of at least
/// <see cref="MinimumCell"/> pixels and its name on both axes, in a font that fits the cell. Only above
/// <see cref="MaxNamedClasses"/> classes are the axes labelled with class indices (every few), the names then being in
/// <c>per_class.csv</c> and the report.
/// </summary>
/// <param name="Cell">Pixels per class.</param>
/// <param name="FontSize">Tick label font size.</param>
/// <param name="Names">Whether the axes carry class names (else class indices).</param>
/// <param name="LabelStep">Every how many classes a label is drawn (1: every class).</param>
/// <param name="LabelSpace">Pixels reserved beside each axis for the labels.</param>
/// <param name="Width">Picture width.</param>
/// <param name="Height">Picture height.</param>
internal sealed record ConfusionMatrixLayout(int Cell, float FontSize, bool Names, int LabelStep, int LabelSpace, int Width, int Height)
{
    /// <summary>Smallest cell, in pixels, at which a class name in an 8-point font still fits its row.</summary>
    internal const int MinimumCell = 14;

    /// <summary>Up to this many classes every class is named.</summary>
    internal const int MaxNamedClasses = 150;

    /// <summary>The layout for these classes.</summary>
    internal static ConfusionMatrixLayout For(IReadOnlyList<string> classNames)
    {
        int n = classNames.Count;
        int cell = Math.Max(MinimumCell, 360 / Math.Max(n, 1));
        float font = Math.Clamp(cell * 0.7f, 8f, 14f);
        bool names = n <= MaxNamedClasses;
        int step = names ? 1 : (int)Math.Ceiling(n / 40.0);
        // Names: about 0.6 em per character, capped at 40 characters; indices: a few digits.
        int labelSpace = names ? (int)Math.Ceiling(0.6 * font * Math.Min(classNames.Max(s => s.Length), 40)) + 10 : 40;
        int side = n * cell;
        return new ConfusionMatrixLayout(cell, font, names, step, labelSpace, side + labelSpace + 200, side + labelSpace + 120);
    }
}
