namespace ConstCl.Datasets;

/// <summary>Why a listed video was left out of a <see cref="VideoDataset"/>.</summary>
public enum DatasetIssueKind
{
    /// <summary>The listed file does not exist.</summary>
    Missing,

    /// <summary>The path exists but cannot be read as a video (a folder without frame images, or access denied).</summary>
    Unreadable,

    /// <summary>The same video is listed more than once; only the first listing is kept.</summary>
    Duplicate,

    /// <summary>A video directly under a <see cref="FolderDataset"/> root, outside every class folder: it has no class.</summary>
    OutsideClassFolder,

    /// <summary>The video (after resolving symbolic links) lies outside the data root the caller confined the dataset to.</summary>
    OutsideDataRoot,
}
