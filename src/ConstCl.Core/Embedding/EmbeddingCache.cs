using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ConstCl.IO;

namespace ConstCl.Embedding;

/// <summary>
/// Embeddings on disk, one small file per video, keyed by (encoder hash, video path + size + modification time, protocol),
/// so that evaluating an encoder again (another classifier, another split sharing the videos) costs no embedding:
/// <c>&lt;root&gt;/&lt;encoder hash[..16]&gt;/&lt;sha256(protocol)[..16]&gt;/&lt;sha256(path|size|mtime)[..32]&gt;.emb</c>.
/// A file holds a magic number, its full key text, the vector and a SHA-256 of all that; it is written to a temporary
/// file and renamed. A file that is short, damaged or holds another key reads as a miss (and is recomputed and
/// overwritten), never as an error. Touching or replacing a video changes its key, so a stale entry is never used.
/// </summary>
public sealed class EmbeddingCache
{
    private static readonly byte[] Magic = "CCEMB001"u8.ToArray();
    private readonly string _directory;
    private readonly string _encoderHash;
    private readonly string _protocol;

    /// <summary>
    /// Opens (creating on first write) the part of the cache for <paramref name="embedder"/>: its encoder's
    /// <see cref="VideoEncoder.Hash"/> and its protocol, <c>{EvaluationClipSpec.ToSpecString()};branch={Branch}</c>.
    /// </summary>
    /// <param name="root">Cache root folder (<see cref="DefaultRoot"/> is the usual one).</param>
    /// <param name="embedder">The embedder whose vectors are cached.</param>
    public EmbeddingCache(string root, VideoEmbedder embedder)
        : this(root, (embedder ?? throw new ArgumentNullException(nameof(embedder))).Encoder.Hash, $"{embedder.Clips.ToSpecString()};branch={embedder.Encoder.Branch}")
    {
    }

    /// <summary>Opens the part of the cache for one encoder and protocol.</summary>
    /// <param name="root">Cache root folder.</param>
    /// <param name="encoderHash">The encoder's weight hash.</param>
    /// <param name="protocol">Everything else that changes an embedding: clip spec, branch.</param>
    internal EmbeddingCache(string root, string encoderHash, string protocol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _encoderHash = encoderHash;
        _protocol = protocol;
        _directory = Path.Combine(Path.GetFullPath(root), encoderHash[..Math.Min(16, encoderHash.Length)], Sha(protocol)[..16]);
    }

    /// <summary>The folder holding this encoder's and protocol's entries.</summary>
    public string Directory => _directory;

    /// <summary>The default root: <c>$XDG_CACHE_HOME/constcl/embeddings</c>, else <c>~/.cache/constcl/embeddings</c>.</summary>
    public static string DefaultRoot()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string baseDir = !string.IsNullOrWhiteSpace(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(baseDir, "constcl", "embeddings");
    }

    /// <summary>The cached vector <c>[D]</c> of <paramref name="videoPath"/>, or null (missing file, changed video, damaged or foreign entry).</summary>
    /// <param name="videoPath">The video.</param>
    public float[]? TryGet(string videoPath)
    {
        if (!TryKey(videoPath, out string key))
        {
            return null;
        }

        string file = EntryPath(key);
        try
        {
            if (!File.Exists(file))
            {
                return null;
            }

            byte[] bytes = File.ReadAllBytes(file);
            return Decode(bytes, key);
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

    /// <summary>Stores <paramref name="vector"/> for <paramref name="videoPath"/>; an I/O failure is reported and swallowed (a cache must not end a run).</summary>
    /// <param name="videoPath">The video.</param>
    /// <param name="vector">Its embedding <c>[D]</c>.</param>
    /// <returns>Null when stored, else the reason it was not.</returns>
    public string? Put(string videoPath, float[] vector)
    {
        if (!TryKey(videoPath, out string key))
        {
            return $"'{videoPath}' no longer exists";
        }

        try
        {
            byte[] bytes = Encode(vector, key);
            AtomicFile.WriteThroughPath(EntryPath(key), tmp => File.WriteAllBytes(tmp, bytes));

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }

    /// <summary>The key text of a video: encoder, protocol, full path, size and modification time (UTC ticks).</summary>
    internal bool TryKey(string videoPath, out string key)
    {
        var info = new FileInfo(Path.GetFullPath(videoPath));
        if (!info.Exists)
        {
            key = string.Empty;
            return false;
        }

        key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{_encoderHash}\n{_protocol}\n{info.FullName}\n{info.Length}\n{info.LastWriteTimeUtc.Ticks}");
        return true;
    }

    /// <summary>The entry file of a key.</summary>
    internal string EntryPath(string key) => Path.Combine(_directory, Sha(key)[..32] + ".emb");

    /// <summary>magic | int32 key length | key UTF-8 | int32 D | D float32 | 32-byte SHA-256 of everything before it (little-endian).</summary>
    internal static byte[] Encode(float[] vector, string key)
    {
        byte[] keyBytes = Encoding.UTF8.GetBytes(key);
        int bodyLength = Magic.Length + 4 + keyBytes.Length + 4 + (vector.Length * 4);
        var bytes = new byte[bodyLength + 32];
        Magic.CopyTo(bytes, 0);
        int at = Magic.Length;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), keyBytes.Length);
        at += 4;
        keyBytes.CopyTo(bytes, at);
        at += keyBytes.Length;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), vector.Length);
        at += 4;
        foreach (float v in vector)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(at), v);
            at += 4;
        }

        SHA256.HashData(bytes.AsSpan(0, bodyLength), bytes.AsSpan(bodyLength));
        return bytes;
    }

    /// <summary>The vector of an entry, or null when the bytes are damaged or belong to another key.</summary>
    internal static float[]? Decode(byte[] bytes, string key)
    {
        if (bytes.Length < Magic.Length + 8 + 32 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            return null;
        }

        int bodyLength = bytes.Length - 32;
        if (!SHA256.HashData(bytes.AsSpan(0, bodyLength)).AsSpan().SequenceEqual(bytes.AsSpan(bodyLength)))
        {
            return null;
        }

        int at = Magic.Length;
        int keyLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
        at += 4;
        if (keyLength < 0 || at + keyLength + 4 > bodyLength || Encoding.UTF8.GetString(bytes, at, keyLength) != key)
        {
            return null;
        }

        at += keyLength;
        int dim = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
        at += 4;
        if (dim <= 0 || at + ((long)dim * 4) != bodyLength)
        {
            return null;
        }

        var vector = new float[dim];
        for (int d = 0; d < dim; d++)
        {
            vector[d] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(at + (d * 4)));
        }

        return vector;
    }

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
