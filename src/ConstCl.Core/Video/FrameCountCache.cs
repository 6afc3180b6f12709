using System.Collections.Concurrent;

namespace ConstCl.Video;

/// <summary>
/// Process-wide cache of decodable frame counts and whole-video scans, keyed by full path, size and modification
/// time (so that an edited file is counted again), by the decoder back-end (two FFmpeg builds may disagree on what
/// decodes) and by the grab-retry budget (which changes what counts as the end).
/// Thread-safe.
/// </summary>
internal static class FrameCountCache
{
    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Modified, VideoDecoderBackend Decoder, int Retries), int> Counts = new();
    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Modified, VideoDecoderBackend Decoder, int Retries), VideoScan> Scans = new();

    public static bool TryGetCount(string path, VideoDecoderBackend decoder, int retries, out int count)
    {
        count = 0;
        var key = Key(path, decoder, retries);
        return key is not null && Counts.TryGetValue(key.Value, out count);
    }

    public static bool TryGetScan(string path, VideoDecoderBackend decoder, int retries, out VideoScan scan)
    {
        scan = null!;
        var key = Key(path, decoder, retries);
        return key is not null && Scans.TryGetValue(key.Value, out scan!);
    }

    public static void SetScan(string path, VideoDecoderBackend decoder, int retries, VideoScan scan)
    {
        var key = Key(path, decoder, retries);
        if (key is not null)
        {
            Scans[key.Value] = scan;
            Counts[key.Value] = scan.DecodableFrames;
        }
    }

    /// <summary>Forgets what is known about one file (tests).</summary>
    public static void Remove(string path)
    {
        string full = Path.GetFullPath(path);
        foreach (var key in Counts.Keys.Where(k => k.Path == full))
        {
            Counts.TryRemove(key, out _);
        }

        foreach (var key in Scans.Keys.Where(k => k.Path == full))
        {
            Scans.TryRemove(key, out _);
        }
    }

    private static (string, long, DateTime, VideoDecoderBackend, int)? Key(string path, VideoDecoderBackend decoder, int retries)
    {
        try
        {
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                var d = new DirectoryInfo(full);
                return (full, d.EnumerateFiles().LongCount(), d.LastWriteTimeUtc, decoder, retries);
            }

            var f = new FileInfo(full);
            return f.Exists ? (full, f.Length, f.LastWriteTimeUtc, decoder, retries) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
