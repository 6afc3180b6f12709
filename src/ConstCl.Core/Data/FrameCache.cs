using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using System.Text;
using ConstCl.Video;

namespace ConstCl.Data;

/// <summary>
/// Decoded-frame cache on disk: every frame of a video as uint8 RGB24 at the decode size, one file per video, keyed
/// by (full path, file size, modification time, decode options). Written atomically (temporary file, then rename),
/// read back memory-mapped so later epochs copy only the frames a clip needs and skip decoding. A file whose header,
/// length or payload checksum is wrong (truncated or corrupt) is deleted and rebuilt. Thread-safe.
/// </summary>
/// <remarks>
/// Layout: 48-byte header — magic "CCFRAME1", int32 width, int32 height, int32 frame count, int32 reserved,
/// int64 payload length, uint64 payload checksum, uint64 header checksum — then the frames, <c>[N, H, W, 3]</c>.
/// The payload checksum is verified the first time a file is used in a process.
/// </remarks>
internal sealed class FrameCache
{
    internal const int HeaderLength = 48;
    private const int FramesPerChunk = 64;
    private static readonly byte[] Magic = "CCFRAME1"u8.ToArray();

    private readonly ConcurrentDictionary<string, object> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CachedVideoInfo> _verified = new(StringComparer.Ordinal);

    /// <summary>Creates a cache in <paramref name="directory"/> (created when missing).</summary>
    internal FrameCache(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>The cache folder.</summary>
    internal string Directory { get; }

    /// <summary>Number of times a video was decoded into the cache (rebuilds included).</summary>
    internal int Builds => _builds;

    private int _builds;

    /// <summary>The cache file for a video decoded with <paramref name="options"/>.</summary>
    internal string FileFor(string videoPath, VideoDecodeOptions options)
    {
        string full = Path.GetFullPath(videoPath);
        var info = new FileInfo(full);
        if (!info.Exists)
        {
            throw new VideoDecodeException(VideoErrorKind.Missing, videoPath, "The file does not exist.");
        }

        string key = $"{full}\n{info.Length}\n{info.LastWriteTimeUtc.Ticks}\n{options.ShortSide}\n{options.ResizeMode}\n{options.MaxConsecutiveGrabFailures}";
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
        return Path.Combine(Directory, hash + ".frames");
    }

    /// <summary>Frame count and size of a video, building its cache file first when needed.</summary>
    internal CachedVideoInfo Describe(string videoPath, VideoDecodeOptions options) => Ensure(videoPath, options).Info;

    /// <summary>Reads frames of a video from its cache file (built first when needed); indices past the end wrap.</summary>
    internal FrameSequence ReadFrames(string videoPath, VideoDecodeOptions options, IReadOnlyList<int> frameIndices)
    {
        ArgumentNullException.ThrowIfNull(frameIndices);
        var (file, info) = Ensure(videoPath, options);
        int frameLength = info.Width * info.Height * 3;
        var frames = new byte[frameIndices.Count][];
        var read = new int[frameIndices.Count];
        using var map = MemoryMappedFile.CreateFromFile(file, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        for (int i = 0; i < frames.Length; i++)
        {
            if (frameIndices[i] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(frameIndices), frameIndices[i], "Frame indices must be ≥ 0.");
            }

            read[i] = frameIndices[i] % info.FrameCount;
            frames[i] = new byte[frameLength];
            view.ReadArray(HeaderLength + ((long)read[i] * frameLength), frames[i], 0, frameLength);
        }

        return new FrameSequence(frames, info.Width, info.Height, read);
    }

    private (string File, CachedVideoInfo Info) Ensure(string videoPath, VideoDecodeOptions options)
    {
        string file = FileFor(videoPath, options);
        if (_verified.TryGetValue(file, out var known) && File.Exists(file))
        {
            return (file, known);
        }

        lock (_locks.GetOrAdd(file, _ => new object()))
        {
            if (File.Exists(file))
            {
                if (TryVerify(file, out var info))
                {
                    _verified[file] = info;
                    return (file, info);
                }

                File.Delete(file);
            }

            var built = Build(videoPath, options, file);
            _verified[file] = built;
            return (file, built);
        }
    }

    private CachedVideoInfo Build(string videoPath, VideoDecodeOptions options, string file)
    {
        Interlocked.Increment(ref _builds);
        string temp = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using IVideoSource source = VideoReader.Open(videoPath, options);
            int count = source.CountFrames();
            if (count <= 0)
            {
                throw new VideoDecodeException(VideoErrorKind.Empty, videoPath, "No frame decodes.");
            }

            int width = 0;
            int height = 0;
            ulong checksum = ChecksumSeed;
            long payload = 0;
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                stream.Write(new byte[HeaderLength]);
                for (int start = 0; start < count; start += FramesPerChunk)
                {
                    int n = Math.Min(FramesPerChunk, count - start);
                    FrameSequence chunk = source.ReadFrames(Enumerable.Range(start, n).ToArray());
                    (width, height) = (chunk.Width, chunk.Height);
                    foreach (byte[] frame in chunk.Frames)
                    {
                        stream.Write(frame);
                        checksum = Checksum(checksum, frame);
                        payload += frame.Length;
                    }
                }

                stream.Position = 0;
                stream.Write(Header(width, height, count, payload, checksum));
                stream.Flush(flushToDisk: false);
            }

            File.Move(temp, file, overwrite: true);
            return new CachedVideoInfo(width, height, count);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static bool TryVerify(string file, out CachedVideoInfo info)
    {
        info = default;
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            if (stream.Length < HeaderLength)
            {
                return false;
            }

            var header = new byte[HeaderLength];
            stream.ReadExactly(header);
            if (!header.AsSpan(0, 8).SequenceEqual(Magic)
                || BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(40)) != Checksum(ChecksumSeed, header.AsSpan(0, 40)))
            {
                return false;
            }

            int width = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
            int height = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
            int count = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(16));
            long payload = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(24));
            ulong expected = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(32));
            if (width <= 0 || height <= 0 || count <= 0 || payload != (long)width * height * 3 * count || stream.Length != HeaderLength + payload)
            {
                return false;
            }

            ulong checksum = ChecksumSeed;
            var buffer = new byte[1 << 20];
            int got;
            while ((got = stream.Read(buffer)) > 0)
            {
                checksum = Checksum(checksum, buffer.AsSpan(0, got));
            }

            if (checksum != expected)
            {
                return false;
            }

            info = new CachedVideoInfo(width, height, count);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static byte[] Header(int width, int height, int count, long payload, ulong checksum)
    {
        var header = new byte[HeaderLength];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), width);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), height);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), count);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(24), payload);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(32), checksum);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(40), Checksum(ChecksumSeed, header.AsSpan(0, 40)));
        return header;
    }

    private const ulong ChecksumSeed = 14695981039346656037UL;

    // FNV-1a over bytes: streaming (chunk boundaries do not matter), enough to catch truncation and bit rot.
    internal static ulong Checksum(ulong state, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            state = (state ^ b) * 1099511628211UL;
        }

        return state;
    }
}
