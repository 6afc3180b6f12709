using OpenCvSharp;

namespace ConstCl.Video;

/// <summary>
/// A video stored as a folder of image files (JPEG/PNG/BMP), one per frame, ordered by natural file-name order
/// (<c>img_2</c> before <c>img_10</c>). Frames are read with <c>Cv2.ImRead</c>; every frame is random-access.
/// </summary>
internal sealed class FrameFolderSource : IVideoSource
{
    /// <summary>File extensions read as frames (lower case, with the dot).</summary>
    public static readonly IReadOnlySet<string> FrameExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp" };

    private readonly string[] _files;
    private readonly VideoDecodeOptions _options;
    private readonly FrameConverter _converter;
    private bool _disposed;

    private FrameFolderSource(string path, string[] files, VideoInfo info, VideoDecodeOptions options)
    {
        Path = path;
        _files = files;
        Info = info;
        _options = options;
        _converter = new FrameConverter(options.ShortSide, options.ResizeMode);
    }

    public string Path { get; }

    public VideoInfo Info { get; }

    /// <summary>The frame files in frame order.</summary>
    internal IReadOnlyList<string> Files => _files;

    public static FrameFolderSource Open(string path, VideoDecodeOptions options)
    {
        if (!Directory.Exists(path))
        {
            throw new VideoDecodeException(VideoErrorKind.Missing, path, "the frame folder does not exist.");
        }

        string[] files;
        try
        {
            files = Directory.EnumerateFiles(path)
                .Where(f => FrameExtensions.Contains(System.IO.Path.GetExtension(f)))
                .Order(NaturalComparer.Instance)
                .ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VideoDecodeException(VideoErrorKind.Unreadable, path, $"the frame folder cannot be listed ({e.Message}).", e);
        }

        if (files.Length == 0)
        {
            throw new VideoDecodeException(VideoErrorKind.Empty, path, "the frame folder holds no .jpg, .jpeg, .png or .bmp files.");
        }

        using var first = Cv2.ImRead(files[0], ImreadModes.Color);
        if (first.Empty())
        {
            throw new VideoDecodeException(VideoErrorKind.NotAVideo, path, $"the first frame '{System.IO.Path.GetFileName(files[0])}' is not a readable image.");
        }

        string codec = System.IO.Path.GetExtension(files[0]).ToLowerInvariant() switch
        {
            ".png" => "png",
            ".bmp" => "bmp",
            _ => "jpeg",
        };
        var info = new VideoInfo(path, "frames", codec, first.Width, first.Height, files.Length, 0);
        return new FrameFolderSource(path, files, info, options);
    }

    /// <summary>The number of frame files (each is checked when read; <see cref="Scan"/> decodes them all).</summary>
    public int CountFrames()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _files.Length;
    }

    public VideoScan Scan()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int bad = 0;
        foreach (var file in _files)
        {
            using var m = Cv2.ImRead(file, ImreadModes.Unchanged);
            bad += m.Empty() ? 1 : 0;
        }

        return new VideoScan(Info, _files.Length - bad, 0, 0, 0, false, bad);
    }

    public FrameSequence ReadFrames(IReadOnlyList<int> frameIndices)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ClipIndexMapper.Validate(frameIndices);
        var read = new int[frameIndices.Count];
        var decoded = new Dictionary<int, byte[]>();
        var frames = new byte[read.Length][];
        var (width, height) = FrameConverter.TargetSize(Info.Width, Info.Height, _options.ShortSide);
        for (int i = 0; i < read.Length; i++)
        {
            int t = ClipIndexMapper.Map(frameIndices[i], _files.Length, _options.EndPolicy, Path);
            read[i] = t;
            if (!decoded.TryGetValue(t, out var bytes))
            {
                using var m = Cv2.ImRead(_files[t], ImreadModes.Color);
                if (m.Empty())
                {
                    throw new VideoDecodeException(VideoErrorKind.Unreadable, Path, $"frame {t} ('{System.IO.Path.GetFileName(_files[t])}') is not a readable image.");
                }

                if (m.Width != Info.Width || m.Height != Info.Height)
                {
                    throw new VideoDecodeException(VideoErrorKind.Unreadable, Path, $"frame {t} ('{System.IO.Path.GetFileName(_files[t])}') is {m.Width}×{m.Height}; expected {Info.Width}×{Info.Height} like the first frame.");
                }

                (bytes, _, _) = _converter.Convert(m);
                decoded[t] = bytes;
            }

            frames[i] = bytes;
        }

        return new FrameSequence(frames, width, height, read, 0);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _converter.Dispose();
        }
    }
}
