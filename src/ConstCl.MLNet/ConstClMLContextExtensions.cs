using Microsoft.ML;

namespace ConstCl.MLNet;

/// <summary>Hangs the ConstCl catalog off <see cref="MLContext"/> (ML.NET's own catalog plumbing is internal).</summary>
public static class ConstClMLContextExtensions
{
    /// <summary>The ConST-CL operations: <c>mlContext.ConstCl().PretrainVideoEncoder(…)</c>, <c>…EmbedVideos(…)</c>.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    public static ConstClCatalog ConstCl(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new ConstClCatalog(mlContext);
    }
}
