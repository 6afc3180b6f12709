using ConstCl.Modeling;

namespace ConstCl.MLNet;

/// <summary>The frozen settings of a fitted embedding transformer (copied from the options at fit time).</summary>
internal sealed record TransformerSettings(string OutputColumnName, string VideoPathColumnName, BackboneBranch Branch, BackboneStage Stage, SavedClipSpec Spec, int BatchSize);
