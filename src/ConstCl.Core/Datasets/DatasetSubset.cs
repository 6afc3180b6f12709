namespace ConstCl.Datasets;

/// <summary>Which part of an official train/test split to load.</summary>
public enum DatasetSubset
{
    /// <summary>The training list of the split.</summary>
    Train,

    /// <summary>The test list of the split.</summary>
    Test,
}
