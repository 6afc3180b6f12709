namespace ConstCl.Cli.Pictures;

/// <summary>
/// One colour per class, the same in every picture of a run: Category10 up to 10 classes, Category20 up to 20, beyond
/// that evenly spaced along the Turbo colour map (neighbouring class indices then get neighbouring hues, which is the
/// best a 101-class map can do; the legend is left out there).
/// </summary>
internal static class ClassColors
{
    /// <summary>The colour of class <paramref name="index"/> of <paramref name="classes"/>.</summary>
    internal static ScottPlot.Color For(int index, int classes) => classes switch
    {
        <= 10 => new ScottPlot.Palettes.Category10().GetColor(index),
        <= 20 => new ScottPlot.Palettes.Category20().GetColor(index),
        _ => new ScottPlot.Colormaps.Turbo().GetColor(index / (double)(classes - 1)),
    };

    /// <summary>The same colour for SkiaSharp drawing.</summary>
    internal static SkiaSharp.SKColor SkiaFor(int index, int classes)
    {
        var c = For(index, classes);
        return new SkiaSharp.SKColor(c.R, c.G, c.B, c.A);
    }
}
