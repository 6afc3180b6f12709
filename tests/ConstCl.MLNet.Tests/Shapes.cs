using Microsoft.ML;

namespace ConstCl.MLNet.Tests;

/// <summary>
/// SchemaShapes for estimator tests. <c>SchemaShape.Create</c> is internal to ML.NET, so a shape with the columns of
/// <typeparamref name="TRow"/> is made by a never-run <c>CustomMapping</c> from an empty shape.
/// </summary>
internal static class Shapes
{
    public static SchemaShape Of<TRow>()
        where TRow : class, new() =>
        new MLContext().Transforms.CustomMapping<Empty, TRow>((_, _) => { }, null).GetOutputSchema(new SchemaShape([]));

    public static SchemaShape.Column Find(SchemaShape shape, string name) => shape.Single(c => c.Name == name);

    public sealed class Empty
    {
    }
}

public sealed class PathRow
{
    public string Path { get; set; } = "";
}

public sealed class NumericVideoPathRow
{
    public float VideoPath { get; set; }
}

public sealed class VideoPathRow
{
    public string VideoPath { get; set; } = "";

    public string Label { get; set; } = "";
}
