namespace ConstCl.Datasets;

/// <summary>What <see cref="SyntheticActions.WriteFiles"/> wrote.</summary>
/// <param name="Directory">The dataset folder (one sub-folder of videos per class).</param>
/// <param name="Manifest">Path of <c>manifest.csv</c> (every video).</param>
/// <param name="TrainManifest">Path of <c>train.csv</c>.</param>
/// <param name="TestManifest">Path of <c>test.csv</c>.</param>
/// <param name="ClassNames">Class names in class-index order.</param>
/// <param name="TrainVideos">Number of training videos.</param>
/// <param name="TestVideos">Number of test videos.</param>
/// <param name="TotalBytes">Size of all video files together.</param>
public sealed record SyntheticDatasetFiles(
    string Directory,
    string Manifest,
    string TrainManifest,
    string TestManifest,
    IReadOnlyList<string> ClassNames,
    int TrainVideos,
    int TestVideos,
    long TotalBytes)
{
    /// <summary>Path of <c>shape-train.csv</c>: the training videos labelled by their object's outline (an appearance-defined task).</summary>
    public string? ShapeTrainManifest { get; init; }

    /// <summary>Path of <c>shape-test.csv</c>: the test videos labelled by their object's outline.</summary>
    public string? ShapeTestManifest { get; init; }

    /// <summary>Path of <c>texture-train.csv</c>: the training videos labelled by the pattern on their object (a second appearance-defined task).</summary>
    public string? TextureTrainManifest { get; init; }

    /// <summary>Path of <c>texture-test.csv</c>: the test videos labelled by the pattern on their object.</summary>
    public string? TextureTestManifest { get; init; }

    /// <summary>The video codec written: <c>"FFV1"</c> (lossless, the default) or <c>"MJPG"</c> where OpenCV's FFmpeg
    /// could not open an FFV1 writer.</summary>
    public string Codec { get; init; } = "FFV1";
}
