namespace ConstCl.Cli.Commands;

/// <summary>The file format of <c>constcl embed</c>'s output, chosen by the extension of <c>--out</c>.</summary>
internal enum EmbeddingFormat
{
    /// <summary>One JSON object per line (any extension other than the two below).</summary>
    JsonLines,

    /// <summary><c>.parquet</c>: Parquet (Parquet.Net), one row per video, <c>embedding</c> a list-of-float column.</summary>
    Parquet,

    /// <summary><c>.idv</c>: ML.NET binary data for <c>mlContext.Data.LoadFromBinary</c>.</summary>
    MLNetBinary,
}
