using System.Globalization;

namespace ConstCl.Datasets;

/// <summary>
/// Reads UCF101 as distributed: videos in <c>UCF-101/&lt;Class&gt;/v_&lt;Class&gt;_gXX_cYY.avi</c> and the
/// official split lists in <c>ucfTrainTestlist/</c> (<c>classInd.txt</c> with lines <c>1 ApplyEyeMakeup</c>,
/// <c>trainlist0N.txt</c> with lines <c>ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi 1</c>, <c>testlist0N.txt</c>
/// with the path only). Class indices are zero-based (<c>classInd.txt</c> number − 1).
/// </summary>
public static class Ucf101
{
    /// <summary>Name of the video folder in the official archive.</summary>
    public const string VideoFolderName = "UCF-101";

    /// <summary>Name of the split-list folder in the official archive.</summary>
    public const string SplitFolderName = "ucfTrainTestlist";

    /// <summary>Loads one part of one official split.</summary>
    /// <param name="root">
    /// Folder holding <c>UCF-101/</c> and <c>ucfTrainTestlist/</c>; the <c>UCF-101</c> folder itself is also
    /// accepted (the lists are then looked for beside it).
    /// </param>
    /// <param name="split">Official split number, 1, 2 or 3.</param>
    /// <param name="subset">Train or test list.</param>
    /// <param name="splitsDirectory">Folder of the list files when it is not in one of the default places.</param>
    /// <returns>The listed videos that exist; missing ones are in <see cref="VideoDataset.Report"/>.</returns>
    /// <exception cref="DatasetFormatException">A list line is malformed (the message names file and line).</exception>
    public static VideoDataset Load(string root, int split, DatasetSubset subset, string? splitsDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (split is < 1 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(split), split, "UCF101 has official splits 1, 2 and 3.");
        }

        root = Path.GetFullPath(root);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"UCF101 root not found: '{root}'.");
        }

        string videoDir = Directory.Exists(Path.Combine(root, VideoFolderName)) ? Path.Combine(root, VideoFolderName) : root;
        string listDir = FindListDirectory(root, splitsDirectory);
        IReadOnlyList<string> classes = ReadClassIndex(Path.Combine(listDir, "classInd.txt"));
        var byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < classes.Count; i++)
        {
            byName[classes[i]] = i;
        }

        string listFile = Path.Combine(listDir, string.Create(CultureInfo.InvariantCulture, $"{(subset == DatasetSubset.Train ? "trainlist" : "testlist")}{split:00}.txt"));
        var builder = new DatasetBuilder();
        foreach (TextLines.Line line in TextLines.Read(listFile))
        {
            string[] parts = TextLines.SplitWhitespace(line.Text);
            if (parts.Length == 0)
            {
                continue;
            }

            if (parts.Length > 2)
            {
                throw new DatasetFormatException(listFile, line.Number, $"expected '<Class>/<video>.avi' optionally followed by a class number, got '{line.Text}'.");
            }

            string relative = parts[0].Replace('\\', '/');
            int slash = relative.IndexOf('/');
            if (slash <= 0 || slash == relative.Length - 1 || relative.IndexOf('/', slash + 1) >= 0)
            {
                throw new DatasetFormatException(listFile, line.Number, $"expected a path of the form '<Class>/<video>.avi', got '{parts[0]}'.");
            }

            string folder = relative[..slash];
            if (!byName.TryGetValue(folder, out int classIndex))
            {
                throw new DatasetFormatException(listFile, line.Number, $"class folder '{folder}' is not listed in classInd.txt.");
            }

            if (parts.Length == 2)
            {
                if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < 1 || number > classes.Count)
                {
                    throw new DatasetFormatException(listFile, line.Number, $"expected a class number 1..{classes.Count}, got '{parts[1]}'.");
                }

                if (number - 1 != classIndex)
                {
                    throw new DatasetFormatException(listFile, line.Number, $"class number {number} ({classes[number - 1]}) does not match the folder '{folder}'.");
                }
            }

            string path = Path.GetFullPath(Path.Combine(videoDir, folder, relative[(slash + 1)..]));
            builder.Add(new VideoEntry(path, classes[classIndex], classIndex), listFile, line.Number);
        }

        return builder.Build(string.Create(CultureInfo.InvariantCulture, $"UCF101 split {split} {subset.ToString().ToLowerInvariant()}"), listFile, classes);
    }

    /// <summary>Reads <c>classInd.txt</c>: lines <c>N ClassName</c> numbered 1..C in order.</summary>
    /// <returns>Class names in class-index order (index = N − 1).</returns>
    public static IReadOnlyList<string> ReadClassIndex(string classIndPath)
    {
        var classes = new List<string>();
        foreach (TextLines.Line line in TextLines.Read(classIndPath))
        {
            string[] parts = TextLines.SplitWhitespace(line.Text);
            if (parts.Length == 0)
            {
                continue;
            }

            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                throw new DatasetFormatException(classIndPath, line.Number, $"expected '<number> <ClassName>', got '{line.Text}'.");
            }

            if (number != classes.Count + 1)
            {
                throw new DatasetFormatException(classIndPath, line.Number, $"expected class number {classes.Count + 1} (numbers must run 1, 2, 3, ... in order), got {number}.");
            }

            if (classes.Contains(parts[1], StringComparer.OrdinalIgnoreCase))
            {
                throw new DatasetFormatException(classIndPath, line.Number, $"class '{parts[1]}' is listed twice.");
            }

            classes.Add(parts[1]);
        }

        if (classes.Count == 0)
        {
            throw new DatasetFormatException(classIndPath, 0, "no classes listed.");
        }

        return classes;
    }

    private static string FindListDirectory(string root, string? splitsDirectory)
    {
        if (splitsDirectory is not null)
        {
            string given = Path.GetFullPath(splitsDirectory);
            return Directory.Exists(given) ? given : throw new DirectoryNotFoundException($"UCF101 split folder not found: '{given}'.");
        }

        string[] candidates =
        [
            Path.Combine(root, SplitFolderName),
            Path.Combine(Path.GetDirectoryName(root) ?? root, SplitFolderName),
            root,
        ];
        foreach (string c in candidates)
        {
            if (File.Exists(Path.Combine(c, "classInd.txt")))
            {
                return c;
            }
        }

        throw new DirectoryNotFoundException($"UCF101 split lists (classInd.txt) not found; looked in: {string.Join(", ", candidates.Select(c => $"'{c}'"))}. Pass the folder explicitly.");
    }
}
