namespace ConstCl.Cli.Pictures;

/// <summary>One video on the retrieval sheet: its middle frame (null when it could not be decoded), its class and a caption.</summary>
/// <param name="Frame">The frame shown.</param>
/// <param name="ClassIndex">Its class.</param>
/// <param name="Caption">Second caption line (the file name; the similarity for a neighbour).</param>
internal sealed record RetrievalItem(Thumbnail? Frame, int ClassIndex, string Caption);
