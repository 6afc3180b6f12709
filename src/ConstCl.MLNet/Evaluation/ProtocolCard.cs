using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConstCl.MLNet.Evaluation;

/// <summary>
/// How a probe's numbers were made, written beside them (<c>protocol.json</c>, <c>protocol.md</c>): which encoder (by
/// the hash of its weights), which data and split, which views per video, which classifier with which settings, which
/// seed, how long it took and when.
/// </summary>
public sealed record ProtocolCard
{
    /// <summary>SHA-256 of the encoder's weights, branch and stage (<see cref="ConstCl.Embedding.VideoEncoder.Hash"/>).</summary>
    public required string EncoderHash { get; init; }

    /// <summary>Where the encoder came from: a file path, or e.g. <c>random-init tiny (seed 0)</c>.</summary>
    public required string Encoder { get; init; }

    /// <summary>The res5 branch embedded (<c>Global</c> or <c>Local</c>).</summary>
    public string Branch { get; init; } = "Global";

    /// <summary>The backbone stage whose output was pooled (<c>Res5</c>, the default, or an earlier one).</summary>
    public string Stage { get; init; } = "Res5";

    /// <summary>D, the embedding width.</summary>
    public int EmbeddingDimension { get; init; }

    /// <summary>Dataset name, e.g. <c>UCF101</c>, <c>HMDB51</c>, <c>manifests</c>.</summary>
    public required string Dataset { get; init; }

    /// <summary>Split, e.g. <c>1</c>, or the two manifest files.</summary>
    public required string Split { get; init; }

    /// <summary>Number of classes.</summary>
    public int Classes { get; init; }

    /// <summary>Training videos used (embedded successfully).</summary>
    public int TrainVideos { get; init; }

    /// <summary>Test videos used (embedded successfully).</summary>
    public int TestVideos { get; init; }

    /// <summary>Listed videos left out (missing on disk or failed to decode); see the failure list beside the card.</summary>
    public int SkippedVideos { get; init; }

    /// <summary>K, clips per video.</summary>
    public int ClipCount { get; init; }

    /// <summary>C, crops per clip.</summary>
    public int CropCount { get; init; }

    /// <summary>T, frames per clip.</summary>
    public int FramesPerClip { get; init; }

    /// <summary>s, temporal stride.</summary>
    public int FrameStride { get; init; }

    /// <summary>S: short side resized to S, S×S crops.</summary>
    public int Size { get; init; }

    /// <summary>Pixel value range fed to the encoder (<c>-1..1</c> or <c>0..1</c>).</summary>
    public string ValueRange { get; init; } = "-1..1";

    /// <summary>Classifier, e.g. <c>LbfgsMaximumEntropy</c> or <c>kNN (k = 20, Majority)</c>.</summary>
    public required string Method { get; init; }

    /// <summary>The classifier's settings (hyper-parameters).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Seed of the run (probe trainer; also the random-init weights when there is no encoder file).</summary>
    public int Seed { get; init; }

    /// <summary>Seconds spent computing embeddings (0 when all came from the cache).</summary>
    public double EmbedSeconds { get; init; }

    /// <summary>Videos whose embeddings came from the cache.</summary>
    public int CachedVideos { get; init; }

    /// <summary>Seconds spent fitting the classifier.</summary>
    public double FitSeconds { get; init; }

    /// <summary>Wall-clock seconds of the whole run.</summary>
    public double WallSeconds { get; init; }

    /// <summary>When the run finished (UTC).</summary>
    public DateTimeOffset Date { get; init; }

    /// <summary>The card as indented JSON (camelCase names).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>The card as a short Markdown table.</summary>
    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("# Probe protocol card\n\n| field | value |\n|---|---|\n");
        void Row(string name, string value) => sb.Append(c, $"| {name} | {value.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        Row("encoder", $"{Encoder} (hash `{EncoderHash}`)");
        Row("branch, stage, D", $"{Branch}, {Stage}, {EmbeddingDimension}");
        Row("dataset, split", $"{Dataset}, {Split}");
        Row("classes", Classes.ToString(c));
        Row("train / test videos", string.Create(c, $"{TrainVideos} / {TestVideos} ({SkippedVideos} skipped)"));
        Row("views per video", string.Create(c, $"{ClipCount} clips × {CropCount} crops, {FramesPerClip} frames at stride {FrameStride}, {Size}², values {ValueRange}"));
        Row("classifier", Method);
        Row("settings", string.Join(", ", Settings.Select(kv => $"{kv.Key} = {kv.Value}")));
        Row("seed", Seed.ToString(c));
        Row("time", string.Create(c, $"{WallSeconds:F1} s wall ({EmbedSeconds:F1} s embedding, {CachedVideos} videos from cache; {FitSeconds:F2} s fit)"));
        Row("date", Date.ToString("u", c));
        return sb.ToString();
    }

    /// <summary>JSON settings shared by the report files.</summary>
    internal static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
