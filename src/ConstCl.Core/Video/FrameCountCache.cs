using System.Collections.Concurrent;

namespace ConstCl.Video;

/// <summary>
/// Process-wide cache of decodable frame counts and whole-video scans, keyed by full path, size and modification
/// time so that an edited file is counted again. Thread-safe.
/// </summary>
internal static class FrameCountCache
{
    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Modified), int> Counts = new();
    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Modified), VideoScan> Scans = new();

    public static bool TryGetCount(string path, out int count)
    {
        count = 0;
        var key = Key(path);
        return key is not null && Counts.TryGetValue(key.Value, out count);
    }

    public static void SetCount(string path, int count)
    {
        var key = Key(path);
        if (key is not null)
        {
            Counts[key.Value] = count;
        }
    }

    public static bool TryGetScan(string path, out VideoScan scan)
    {
        scan = null!;
        var key = Key(path);
        return key is not null && Scans.TryGetValue(key.Value, out scan!);
    }

    public static void SetScan(string path, VideoScan scan)
    {
        var key = Key(path);
        if (key is not null)
        {
            Scans[key.Value] = scan;
            Counts[key.Value] = scan.DecodableFrames;
        }
    }

    /// <summary>Forgets what is known about one file (tests).</summary>
    public static void Remove(string path)
    {
        var key = Key(path);
        if (key is not null)
        {
            Counts.TryRemove(key.Value, out _);
            Scans.TryRemove(key.Value, out _);
        }
    }

    private static (string, long, DateTime)? Key(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                var d = new DirectoryInfo(full);
                return (full, d.EnumerateFiles().LongCount(), d.LastWriteTimeUtc);
            }

            var f = new FileInfo(full);
            return f.Exists ? (full, f.Length, f.LastWriteTimeUtc) : null;
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
