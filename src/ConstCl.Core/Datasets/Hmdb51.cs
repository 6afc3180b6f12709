using System.Globalization;

namespace ConstCl.Datasets;

/// <summary>
/// Reads HMDB51 as distributed: videos in <c>&lt;root&gt;/&lt;class&gt;/&lt;video&gt;.avi</c> and the official split
/// files <c>&lt;class&gt;_test_split{1,2,3}.txt</c> (folder <c>testTrainMulti_7030_splits</c> in the official
/// archive) with lines <c>video.avi 1</c>, where 1 = train, 2 = test and 0 = not used in that split.
/// Classes are the split-file class names in ordinal order; class indices are zero-based.
/// </summary>
public static class Hmdb51
{
    /// <summary>Name of the split folder in the official split archive.</summary>
    public const string SplitFolderName = "testTrainMulti_7030_splits";

    /// <summary>Loads one part of one official split.</summary>
    /// <param name="root">Folder holding one sub-folder of videos per class.</param>
    /// <param name="split">Official split number, 1, 2 or 3.</param>
    /// <param name="subset">Train (marker 1) or test (marker 2) videos.</param>
    /// <param name="splitsDirectory">
    /// Folder of the split files; by default <c>&lt;root&gt;/testTrainMulti_7030_splits</c>,
    /// <c>&lt;root&gt;/splits</c>, the same names beside the root, or the root itself.
    /// </param>
    /// <returns>The selected videos that exist; missing ones are in <see cref="VideoDataset.Report"/>.</returns>
    /// <exception cref="DatasetFormatException">A split line is malformed (the message names file and line).</exception>
    public static VideoDataset Load(string root, int split, DatasetSubset subset, string? splitsDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (split is < 1 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(split), split, "HMDB51 has official splits 1, 2 and 3.");
        }

        root = Path.GetFullPath(root);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"HMDB51 root not found: '{root}'.");
        }

        string splitDir = FindSplitDirectory(root, splitsDirectory);
        string suffix = string.Create(CultureInfo.InvariantCulture, $"_test_split{split}.txt");
        string[] files = Directory.GetFiles(splitDir, "*" + suffix)
            .Where(f => Path.GetFileName(f).Length > suffix.Length)
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"No HMDB51 split files '*{suffix}' in '{splitDir}'.");
        }

        string[] classes = files.Select(f => Path.GetFileName(f)[..^suffix.Length]).ToArray();
        int wanted = subset == DatasetSubset.Train ? 1 : 2;
        var builder = new DatasetBuilder();
        for (int c = 0; c < files.Length; c++)
        {
            foreach (TextLines.Line line in TextLines.Read(files[c]))
            {
                string[] parts = TextLines.SplitWhitespace(line.Text);
                if (parts.Length == 0)
                {
                    continue;
                }

                if (parts.Length != 2 || parts[1].Length != 1 || parts[1][0] is < '0' or > '2')
                {
                    throw new DatasetFormatException(files[c], line.Number, $"expected '<video>.avi <0|1|2>' (1 = train, 2 = test, 0 = unused), got '{line.Text}'.");
                }

                if (parts[0].IndexOfAny(['/', '\\']) >= 0)
                {
                    throw new DatasetFormatException(files[c], line.Number, $"expected a bare file name, got the path '{parts[0]}'.");
                }

                if (parts[1][0] - '0' != wanted)
                {
                    continue;
                }

                string path = Path.Combine(root, classes[c], parts[0]);
                builder.Add(new VideoEntry(path, classes[c], c), files[c], line.Number);
            }
        }

        return builder.Build(
            string.Create(CultureInfo.InvariantCulture, $"HMDB51 split {split} {subset.ToString().ToLowerInvariant()}"),
            Path.Combine(splitDir, "*" + suffix),
            classes);
    }

    private static string FindSplitDirectory(string root, string? splitsDirectory)
    {
        if (splitsDirectory is not null)
        {
            string given = Path.GetFullPath(splitsDirectory);
            return Directory.Exists(given) ? given : throw new DirectoryNotFoundException($"HMDB51 split folder not found: '{given}'.");
        }

        string parent = Path.GetDirectoryName(root) ?? root;
        string[] candidates =
        [
            Path.Combine(root, SplitFolderName),
            Path.Combine(root, "splits"),
            Path.Combine(parent, SplitFolderName),
            Path.Combine(parent, "splits"),
            root,
        ];
        foreach (string c in candidates)
        {
            if (Directory.Exists(c) && Directory.EnumerateFiles(c, "*_test_split?.txt").Any())
            {
                return c;
            }
        }

        throw new DirectoryNotFoundException($"HMDB51 split files (*_test_split1.txt) not found; looked in: {string.Join(", ", candidates.Select(c => $"'{c}'"))}. Pass the folder explicitly.");
    }
}
