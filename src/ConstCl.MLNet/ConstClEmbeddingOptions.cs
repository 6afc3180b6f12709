namespace ConstCl.MLNet;

/// <summary>Options of <see cref="ConstClCatalog.EmbedVideos(ConstClEmbeddingOptions)"/>: a saved encoder (Fit learns only the standardisation).</summary>
public sealed class ConstClEmbeddingOptions : ConstClEmbeddingSettings
{
    /// <summary>The encoder file (<c>*.constcl</c>) written by pre-training. Required.</summary>
    public string EncoderPath { get; set; } = "";
}
