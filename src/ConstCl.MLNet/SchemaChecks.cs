using Microsoft.ML;
using Microsoft.ML.Data;

namespace ConstCl.MLNet;

/// <summary>The schema checks made up front by the estimators and the transformer.</summary>
internal static class SchemaChecks
{
    public static void RequireText(DataViewSchema schema, string column)
    {
        var found = schema.GetColumnOrNull(column)
            ?? throw new ArgumentOutOfRangeException(nameof(schema),
                $"Input column '{column}' (the video paths) was not found; expected a text (String) column.");
        if (found.Type is not TextDataViewType)
        {
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Schema mismatch for input column '{column}': expected String (text video paths), got {found.Type}.");
        }
    }

    public static void RequireText(SchemaShape schema, string column)
    {
        var found = schema.FirstOrDefault(c => c.Name == column);
        if (found.Name is null)
        {
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Input column '{column}' (the video paths) was not found; expected a text (String) column.");
        }

        if (found.Kind != SchemaShape.Column.VectorKind.Scalar || found.ItemType is not TextDataViewType)
        {
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Schema mismatch for input column '{column}': expected String (text video paths), got {found.Kind} of {found.ItemType}.");
        }
    }

    /// <summary>
    /// The estimator output shape: the input shape plus the embedding vector (and the validity flag). SchemaShape's
    /// column constructor is internal, so the shape comes from a public built-in estimator that adds exactly those
    /// columns: a never-fitted <c>CustomMapping</c> whose output schema definition declares them.
    /// </summary>
    public static SchemaShape OutputShape(SchemaShape input, ConstClEmbeddingSettings settings, int dimension)
    {
        RequireText(input, settings.VideoPathColumnName);
        var ml = new MLContext();
        var inDefinition = SchemaDefinition.Create(typeof(ShapeInput));
        inDefinition[0].ColumnName = settings.VideoPathColumnName;
        if (settings.SkipInvalidVideos)
        {
            var outDefinition = SchemaDefinition.Create(typeof(ShapeOutputWithValid));
            outDefinition[0].ColumnName = settings.OutputColumnName;
            outDefinition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
            outDefinition[1].ColumnName = ConstClDefaults.ValidColumnName;
            return ml.Transforms.CustomMapping<ShapeInput, ShapeOutputWithValid>((_, _) => { }, null, inDefinition, outDefinition).GetOutputSchema(input);
        }
        else
        {
            var outDefinition = SchemaDefinition.Create(typeof(ShapeOutput));
            outDefinition[0].ColumnName = settings.OutputColumnName;
            outDefinition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
            return ml.Transforms.CustomMapping<ShapeInput, ShapeOutput>((_, _) => { }, null, inDefinition, outDefinition).GetOutputSchema(input);
        }
    }

    /// <summary>Shape-only input row (never mapped).</summary>
    public sealed class ShapeInput
    {
        /// <summary>The video path.</summary>
        public string VideoPath { get; set; } = "";
    }

    /// <summary>Shape-only output row (never mapped).</summary>
    public sealed class ShapeOutput
    {
        /// <summary>The embedding.</summary>
        public float[] Embedding { get; set; } = [];
    }

    /// <summary>Shape-only output row with the validity flag (never mapped).</summary>
    public sealed class ShapeOutputWithValid
    {
        /// <summary>The embedding.</summary>
        public float[] Embedding { get; set; } = [];

        /// <summary>Whether the video decoded.</summary>
        public bool EmbeddingIsValid { get; set; }
    }
}
