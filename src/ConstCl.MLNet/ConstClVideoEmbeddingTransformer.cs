using ConstCl.Embedding;
using Microsoft.ML.Runtime;
using ConstCl.Modeling;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ConstCl.MLNet;

/// <summary>
/// Maps a video path (text) to its ConST-CL embedding: a <c>float</c> vector of size <see cref="EmbeddingDimension"/>
/// (D), the L2-normalised mean of the frozen encoder's pooled features over K uniformly spaced clips × C crops
/// (CVRL's evaluation protocol), from the chosen res5 branch; with Standardize (the default) each dimension is then
/// standardised, <c>(e − mean) / std</c>, with the mean and std of the videos given to <c>Fit</c>. With
/// SkipInvalidVideos a video that cannot be decoded yields the zero vector and <c>EmbeddingIsValid = false</c>;
/// otherwise reading its row throws an error naming it.
/// <para>
/// In process it runs the TorchSharp encoder, row by row (<c>PredictionEngine</c>) or streaming with a bounded batched
/// look-ahead (<c>Transform</c>). <c>mlContext.Model.Save</c> writes it as a chain of ML.NET
/// built-ins (a constant clip-spec column, the registered clip decoder, <c>OnnxTransformer</c> with the encoder's ONNX
/// bytes, standardisation included, inside the zip, a column copy), which <c>mlContext.Model.Load</c> returns and which
/// gives the same embeddings.
/// </para>
/// </summary>
public sealed class ConstClVideoEmbeddingTransformer : ITransformer, ICanSaveModel, IDisposable
{
    private readonly MLContext _ml;
    private readonly VideoEncoder _encoder;
    private readonly TransformerSettings _settings;
    private readonly EmbeddingStandardization? _standardization;
    private readonly RowEmbedder _embedder;
    private readonly object _gate = new();
    private ITransformer? _saved;

    /// <param name="ml">The context (for the saved chain).</param>
    /// <param name="encoder">The frozen encoder (owned from now on).</param>
    /// <param name="settings">The frozen embedding settings.</param>
    /// <param name="standardization">The per-dimension standardisation fitted by <c>Fit</c>; null for none.</param>
    /// <param name="fitEmbeddings">Raw embeddings of the videos <c>Fit</c> saw, by path (reused, not decoded again); null for none.</param>
    internal ConstClVideoEmbeddingTransformer(
        MLContext ml,
        VideoEncoder encoder,
        TransformerSettings settings,
        EmbeddingStandardization? standardization = null,
        IReadOnlyDictionary<string, float[]>? fitEmbeddings = null)
    {
        if (standardization is not null && standardization.Dimension != encoder.EmbeddingDimension)
        {
            throw new ArgumentException($"The standardisation has {standardization.Dimension} dimensions; the encoder {encoder.EmbeddingDimension}.", nameof(standardization));
        }

        _ml = ml;
        _encoder = encoder;
        _settings = settings;
        _standardization = standardization;
        _embedder = new RowEmbedder(encoder, settings.Spec, settings.BatchSize, standardization, fitEmbeddings);
    }

    /// <summary>D, the size of the embedding vector.</summary>
    public int EmbeddingDimension => _encoder.EmbeddingDimension;

    /// <summary>The input column of video paths.</summary>
    public string VideoPathColumnName => _settings.VideoPathColumnName;

    /// <summary>The output column of embeddings.</summary>
    public string OutputColumnName => _settings.OutputColumnName;

    /// <summary>The encoder branch the embedding comes from.</summary>
    public BackboneBranch Branch => _settings.Branch;

    /// <summary>The backbone stage whose output is pooled.</summary>
    public BackboneStage Stage => _settings.Stage;

    /// <summary>The options the encoder was built from.</summary>
    public ConstClModelOptions ModelOptions => _encoder.Options;

    /// <summary>Hash of the encoder's weights and branch (identifies the encoder, as Core's <c>VideoEncoder.Hash</c>).</summary>
    public string EncoderHash => _encoder.Hash;

    /// <summary>True: <c>PredictionEngine</c> works on the fitted transformer directly, one video per prediction.</summary>
    public bool IsRowToRowMapper => true;

    internal TransformerSettings Settings => _settings;

    /// <summary>The frozen encoder (owned by this transformer).</summary>
    internal VideoEncoder Encoder => _encoder;

    /// <summary>The standardisation applied after L2 normalisation, or null when Standardize was off.</summary>
    internal EmbeddingStandardization? Standardization => _standardization;

    /// <summary>Writes the encoder as a <c>.constcl</c> file (for <c>EmbedVideos</c> or the CLI); returns the weights' SHA-256.</summary>
    /// <param name="path">Target file.</param>
    public string SaveEncoder(string path) => _encoder.Save(path);

    /// <summary>
    /// The input schema plus the embedding column (and <c>EmbeddingIsValid</c> with SkipInvalidVideos). Throws when the
    /// video-path column is missing or not text, naming the column and the expected type.
    /// </summary>
    /// <param name="inputSchema">Schema of the data to transform.</param>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaChecks.RequireText(inputSchema, _settings.VideoPathColumnName);
        var builder = new DataViewSchema.Builder();
        foreach (var column in inputSchema)
        {
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        }

        builder.AddColumn(_settings.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, EmbeddingDimension));
        if (_settings.Spec.SkipInvalid)
        {
            builder.AddColumn(ConstClDefaults.ValidColumnName, BooleanDataViewType.Instance);
        }

        return builder.ToSchema();
    }

    /// <summary>
    /// Adds the embedding column to <paramref name="input"/>. Lazy and streaming: a video is embedded when a cursor reads
    /// its row (with a look-ahead of at most BatchSize rows, batched through the network) and is not kept afterwards;
    /// only the videos given to <c>Fit</c> keep their embedding (D floats each), so transforming them again decodes nothing.
    /// </summary>
    /// <param name="input">Data with a text column of video paths.</param>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new EmbeddingDataView(input, GetOutputSchema(input.Schema), _settings, _embedder);
    }

    /// <summary>
    /// The row-to-row mapper <c>PredictionEngine</c> uses: each row read embeds its one video (<c>[K·C, 3, T, S, S]</c>
    /// clips → one D-vector). Throws like <see cref="GetOutputSchema"/> for a missing or non-text path column.
    /// </summary>
    /// <param name="inputSchema">Schema of the rows to map.</param>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        new EmbeddingRowMapper(inputSchema, GetOutputSchema(inputSchema), _settings, _embedder);

    /// <summary>Saves the equivalent chain of ML.NET built-ins (decision: a third-party transformer cannot write its own zip entry).</summary>
    /// <param name="ctx">The save context.</param>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)SavedChain()).Save(ctx);

    /// <summary>
    /// The built-in chain this transformer saves as (and that <c>Model.Load</c> returns): constant clip-spec column →
    /// clip decoder (<c>CustomMapping</c>) → <c>OnnxTransformer</c> (encoder, pooling, L2 normalisation and the
    /// standardisation) → copy to the output column → drop the temporary columns.
    /// </summary>
    internal ITransformer SavedChain()
    {
        lock (_gate)
        {
            return _saved ??= SavedChainBuilder.Build(_ml, _encoder, _settings, _standardization,
                MLContextDevice.OnnxGpuDeviceId(_ml, ((IHostEnvironment)_ml).Register(nameof(ConstClVideoEmbeddingTransformer))));
        }
    }

    /// <summary>
    /// Releases the encoder and the ONNX session of the saved chain, if one was built. A <c>PredictionEngine</c> made
    /// with ML.NET's defaults owns its transformer and calls this when it is disposed; pass
    /// <c>new PredictionEngineOptions { OwnsTransformer = false }</c> to keep using the transformer afterwards.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            (_saved as IDisposable)?.Dispose();
            _saved = null;
        }

        _encoder.Dispose();
    }
}
