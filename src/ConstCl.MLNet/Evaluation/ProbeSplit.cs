using ConstCl.Datasets;

namespace ConstCl.MLNet.Evaluation;

/// <summary>One train/test pair to probe (<see cref="ProbeEvaluation"/>): an official split or two manifests.</summary>
/// <param name="Dataset">Dataset name for the card (<c>UCF101</c>, <c>HMDB51</c>, <c>manifests</c>).</param>
/// <param name="Split">Split number, or null for manifests.</param>
/// <param name="Label">Split text for the card (<c>1</c>, or the two manifest paths).</param>
/// <param name="Train">The training videos.</param>
/// <param name="Test">The test videos (same class list).</param>
public sealed record ProbeSplit(string Dataset, int? Split, string Label, VideoDataset Train, VideoDataset Test);
