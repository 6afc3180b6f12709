namespace ConstCl.Checkpoints;

/// <summary>One field that differs between two option sets.</summary>
/// <param name="Path">Property path, e.g. <c>BatchSize</c> or <c>Model.Width</c> (array items as <c>Items[2]</c>).</param>
/// <param name="Saved">The value in the checkpoint as JSON, or "(absent)".</param>
/// <param name="Current">The value in the current run as JSON, or "(absent)".</param>
public sealed record OptionsDifference(string Path, string Saved, string Current)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Saved} → {Current}";
}
