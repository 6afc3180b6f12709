using System.Globalization;
using System.Text;
using ConstCl.Datasets;
using ConstCl.Video;

namespace ConstCl.Regions;

/// <summary>
/// Boxes read from a CSV file, for example a person or object detector's output (paper §3.3, Table 7
/// "Person/Object Detector"). Format (docs/regions.md):
/// <code>
/// # comment lines start with '#'; blank lines are skipped
/// video,frame,x1,y1,x2,y2,score,width,height
/// UCF-101/Fencing/v_Fencing_g01_c01.avi,0,102.5,40,180,238,0.97,320,240
/// </code>
/// <list type="bullet">
/// <item>The header is required; columns in any order, names case-insensitive. Required: <c>video</c>
/// (path relative to the CSV file's folder, or absolute), <c>frame</c> (0-based source frame index),
/// <c>x1, y1, x2, y2</c> (left, top, right, bottom). Optional: <c>score</c> (higher is better; without
/// it, file order ranks the boxes), and <c>width, height</c> together.</item>
/// <item>Units: with <c>width</c> and <c>height</c> columns the coordinates are continuous pixels of a
/// frame of that size (x2 = right edge; clipped to the frame, as detectors overshoot); without them
/// they are normalised to <c>[0, 1]</c> and a value outside is an error.</item>
/// <item>Boxes are normalised to the <b>source</b> frame: when frames are cropped or flipped, the
/// augmentation must move the boxes with the pixels.</item>
/// <item>Lookup: per frame of a clip, the rows of the exact source frame index, else of the nearest
/// frame that has rows (ties: the earlier frame); the <c>N</c> best by score, padded and masked
/// as described on <see cref="IRegionProposer"/>.</item>
/// <item>Every malformed row is an <see cref="InvalidDataException"/> naming the file and line.</item>
/// </list>
/// Fields may be quoted (<c>"a,b.avi"</c>, with <c>""</c> for a quote), so paths may hold commas.
/// </summary>
public sealed class ExternalRegionProposer : IRegionProposer
{
    private static readonly string[] Required = { "video", "frame", "x1", "y1", "x2", "y2" };
    private static readonly string[] Optional = { "score", "width", "height" };

    private readonly ExternalRegionOptions _options;
    private readonly string _baseDirectory;
    private readonly string _source;
    private readonly Dictionary<string, VideoBoxes> _videos;

    private ExternalRegionProposer(ExternalRegionOptions options, string source, string baseDirectory, Dictionary<string, VideoBoxes> videos)
    {
        _options = options;
        _source = source;
        _baseDirectory = baseDirectory;
        _videos = videos;
    }

    /// <inheritdoc/>
    public int BoxesPerFrame => _options.BoxesPerFrame;

    /// <summary>Number of videos with at least one box.</summary>
    public int VideoCount => _videos.Count;

    /// <summary>Reads a box file (format in the class summary).</summary>
    /// <param name="csvPath">Path of the CSV file; relative video paths resolve against its folder.</param>
    /// <param name="options">Options; null means 8 boxes per frame and missing videos are errors.</param>
    /// <returns>The proposer holding every box of the file.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is malformed (the message names file and line).</exception>
    public static ExternalRegionProposer Load(string csvPath, ExternalRegionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(csvPath);
        string full = Path.GetFullPath(csvPath);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Region box file '{full}' does not exist.", full);
        }

        using var reader = new StreamReader(full, Encoding.UTF8);
        return Parse(reader, full, Path.GetDirectoryName(full)!, options);
    }

    /// <summary>Parses box rows from <paramref name="reader"/>; <paramref name="source"/> names it in errors.</summary>
    internal static ExternalRegionProposer Parse(TextReader reader, string source, string baseDirectory, ExternalRegionOptions? options)
    {
        options ??= new ExternalRegionOptions();
        options.Validate();
        var rows = new Dictionary<string, Dictionary<int, List<(double Score, int Order, RegionBox Box)>>>(StringComparer.Ordinal);
        Dictionary<string, int>? columns = null;
        int lineNumber = 0, order = 0;
        // lineNumber follows every line read: inside the loop it is the record's line, after it the last line of the file.
        foreach (CsvRecord record in Records(reader, source, n => lineNumber = n))
        {
            List<string> fields = record.Fields;
            if (columns is null)
            {
                columns = ParseHeader(fields, source, lineNumber);
                continue;
            }

            if (fields.Count != columns.Count)
            {
                throw Error(source, lineNumber, $"expected {columns.Count} fields as in the header, got {fields.Count}");
            }

            string video = fields[columns["video"]].Trim();
            if (video.Length == 0)
            {
                throw Error(source, lineNumber, "the video path is empty");
            }

            string frameText = fields[columns["frame"]].Trim();
            if (!int.TryParse(frameText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int frame) || frame < 0)
            {
                throw Error(source, lineNumber, $"frame '{frameText}' is not a non-negative integer");
            }

            double x1 = Number(fields, columns, "x1", source, lineNumber);
            double y1 = Number(fields, columns, "y1", source, lineNumber);
            double x2 = Number(fields, columns, "x2", source, lineNumber);
            double y2 = Number(fields, columns, "y2", source, lineNumber);
            double score = columns.ContainsKey("score") ? Number(fields, columns, "score", source, lineNumber) : 0.0;
            RegionBox box;
            if (columns.ContainsKey("width"))
            {
                double w = Number(fields, columns, "width", source, lineNumber);
                double h = Number(fields, columns, "height", source, lineNumber);
                if (w < 1 || h < 1 || w != Math.Floor(w) || h != Math.Floor(h))
                {
                    throw Error(source, lineNumber, $"width and height must be positive whole pixel counts, got {w}×{h}");
                }

                box = RegionBox.FromPixels(Math.Clamp(x1, 0, w), Math.Clamp(y1, 0, h), Math.Clamp(x2, 0, w), Math.Clamp(y2, 0, h), (int)w, (int)h);
            }
            else
            {
                foreach ((string name, double v) in new[] { ("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2) })
                {
                    if (v < -1e-6 || v > 1 + 1e-6)
                    {
                        throw Error(source, lineNumber, $"{name} = {v.ToString(CultureInfo.InvariantCulture)} is outside [0, 1]; " +
                            "coordinates are normalised unless the header has width and height columns (then they are pixels)");
                    }
                }

                box = new RegionBox((float)x1, (float)y1, (float)x2, (float)y2).Clip();
            }

            if (!(box.X2 > box.X1) || !(box.Y2 > box.Y1))
            {
                throw Error(source, lineNumber, "the box is empty or inverted inside the frame (need x2 > x1 and y2 > y1)");
            }

            string key = Normalize(video, baseDirectory);
            if (!rows.TryGetValue(key, out var frames))
            {
                rows[key] = frames = new Dictionary<int, List<(double, int, RegionBox)>>();
            }

            if (!frames.TryGetValue(frame, out var list))
            {
                frames[frame] = list = new List<(double, int, RegionBox)>();
            }

            list.Add((score, order++, box));
        }

        if (columns is null)
        {
            throw Error(source, lineNumber, $"no header line; expected '{string.Join(',', Required)}[,score][,width,height]'");
        }

        var videos = new Dictionary<string, VideoBoxes>(StringComparer.Ordinal);
        foreach ((string key, var frames) in rows)
        {
            int[] indices = frames.Keys.Order().ToArray();
            var ranked = new RegionBox[indices.Length][];
            for (int i = 0; i < indices.Length; i++)
            {
                ranked[i] = frames[indices[i]]
                    .OrderByDescending(r => r.Score).ThenBy(r => r.Order)
                    .Take(options.BoxesPerFrame).Select(r => r.Box).ToArray();
            }

            videos[key] = new VideoBoxes(indices, ranked);
        }

        return new ExternalRegionProposer(options, source, baseDirectory, videos);
    }

    /// <summary>True when the file has boxes for <paramref name="videoKey"/> (resolved as in <see cref="Propose"/>).</summary>
    public bool ContainsVideo(string videoKey)
    {
        ArgumentNullException.ThrowIfNull(videoKey);
        return _videos.ContainsKey(Normalize(videoKey, _baseDirectory));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <paramref name="videoKey"/> is required: the video's path, absolute or relative to the box file's
    /// folder. Frames are looked up by <see cref="FrameSequence.FrameIndices"/>; <paramref name="random"/> is ignored.
    /// </remarks>
    /// <exception cref="ArgumentException">No video key was given.</exception>
    /// <exception cref="KeyNotFoundException">The file has no row for the video and
    /// <see cref="ExternalRegionOptions.MissingVideoIsEmpty"/> is false.</exception>
    public RegionProposals Propose(FrameSequence clip, Random random, string? videoKey = null)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (string.IsNullOrWhiteSpace(videoKey))
        {
            throw new ArgumentException("ExternalRegionProposer needs the video key (its path) to look boxes up.", nameof(videoKey));
        }

        string key = Normalize(videoKey, _baseDirectory);
        if (!_videos.TryGetValue(key, out VideoBoxes? video) && !_options.MissingVideoIsEmpty)
        {
            throw new KeyNotFoundException($"Region box file '{_source}' has no boxes for video '{key}' (given as '{videoKey}'). " +
                "Paths in the file are relative to its folder; set MissingVideoIsEmpty to treat such videos as having no boxes.");
        }

        int n = _options.BoxesPerFrame;
        var boxes = new RegionBox[clip.Count][];
        var valid = new bool[clip.Count][];
        for (int t = 0; t < clip.Count; t++)
        {
            IReadOnlyList<RegionBox> found = video is null ? Array.Empty<RegionBox>() : video.Nearest(clip.FrameIndices[t]);
            RegionPadding.Fill(found, n, out boxes[t], out valid[t]);
        }

        return new RegionProposals(boxes, valid);
    }

    private static string Normalize(string video, string baseDirectory)
    {
        string path = video.Trim();
        if (Path.DirectorySeparatorChar == '/')
        {
            path = path.Replace('\\', '/');
        }

        return Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path));
    }

    private static Dictionary<string, int> ParseHeader(List<string> fields, string source, int line)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < fields.Count; i++)
        {
            string name = fields[i].Trim().ToLowerInvariant();
            if (!Required.Contains(name) && !Optional.Contains(name))
            {
                throw Error(source, line, $"unknown column '{fields[i].Trim()}'; expected {string.Join(',', Required)} and optionally score, width, height");
            }

            if (!columns.TryAdd(name, i))
            {
                throw Error(source, line, $"column '{name}' appears twice");
            }
        }

        string[] missing = Required.Where(r => !columns.ContainsKey(r)).ToArray();
        if (missing.Length > 0)
        {
            throw Error(source, line, $"header lacks column(s) {string.Join(", ", missing)}; expected '{string.Join(',', Required)}[,score][,width,height]'");
        }

        if (columns.ContainsKey("width") != columns.ContainsKey("height"))
        {
            throw Error(source, line, "width and height columns must come together (pixel coordinates) or not at all (normalised coordinates)");
        }

        return columns;
    }

    private static double Number(List<string> fields, Dictionary<string, int> columns, string name, string source, int line)
    {
        string text = fields[columns[name]].Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
        {
            throw Error(source, line, $"{name} '{text}' is not a finite number");
        }

        return v;
    }

    // The shared CSV loop with '#' comment lines; a CSV syntax error becomes this reader's InvalidDataException
    // (same FILE:LINE message). Every line read is reported, so "no header" can name the last one.
    private static IEnumerable<CsvRecord> Records(TextReader reader, string source, Action<int> lineRead)
    {
        IEnumerable<TextLines.Line> Counted()
        {
            foreach (TextLines.Line line in TextLines.Enumerate(reader))
            {
                lineRead(line.Number);
                yield return line;
            }
        }

        using IEnumerator<CsvRecord> records = Csv.ReadRecords(Counted(), source, skipComments: true).GetEnumerator();
        while (true)
        {
            try
            {
                if (!records.MoveNext())
                {
                    yield break;
                }
            }
            catch (DatasetFormatException ex)
            {
                throw new InvalidDataException(ex.Message, ex);
            }

            yield return records.Current;
        }
    }

    private static InvalidDataException Error(string source, int line, string message) =>
        new($"{source}:{line}: {message}.");

    /// <summary>Ranked boxes of one video, by sorted source frame index.</summary>
    private sealed class VideoBoxes(int[] frames, RegionBox[][] boxes)
    {
        public IReadOnlyList<RegionBox> Nearest(int frame)
        {
            int i = Array.BinarySearch(frames, frame);
            if (i >= 0)
            {
                return boxes[i];
            }

            int after = ~i, before = after - 1;
            if (before < 0)
            {
                return boxes[after];
            }

            if (after >= frames.Length)
            {
                return boxes[before];
            }

            return frame - frames[before] <= frames[after] - frame ? boxes[before] : boxes[after];
        }
    }
}
