using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ConstCl.Checkpoints;

/// <summary>
/// The framing shared by checkpoint and encoder files: a magic, a format version, then named sections each carrying
/// its length and SHA-256, and a trailer with the total length. Every failure mode of a partial or damaged file
/// (wrong magic, truncation anywhere, flipped bytes) is detected on read.
/// <code>
/// magic[8] | version:int32 | count:int32 |
///   { nameLength:int32 | name:utf8 | length:int64 | payload[length] | sha256(payload)[32] } × count |
/// "CCLEND\0\0"[8] | totalLength:int64
/// </code>
/// All integers little-endian.
/// </summary>
internal static class SectionContainer
{
    private static readonly byte[] EndMagic = "CCLEND\0\0"u8.ToArray();
    private const int MaxNameBytes = 256;

    /// <summary>
    /// Writes a container to a seekable stream; each section's payload is streamed and hashed on the fly.
    /// Returns the hex SHA-256 of every section by name.
    /// </summary>
    public static Dictionary<string, string> Write(Stream output, ReadOnlySpan<byte> magic, int version, IReadOnlyList<(string Name, Action<Stream> Write)> sections)
    {
        if (!output.CanSeek)
        {
            throw new ArgumentException("The output stream must be seekable.", nameof(output));
        }

        var start = output.Position;
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        output.Write(magic);
        WriteInt32(output, version);
        WriteInt32(output, sections.Count);
        foreach (var (name, write) in sections)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            WriteInt32(output, nameBytes.Length);
            output.Write(nameBytes);
            var lengthPosition = output.Position;
            WriteInt64(output, 0);
            using var hashing = new HashingWriteStream(output);
            write(hashing);
            var length = hashing.Length;
            var hash = hashing.GetHash();
            var end = output.Position;
            output.Position = lengthPosition;
            WriteInt64(output, length);
            output.Position = end;
            output.Write(hash);
            hashes[name] = Convert.ToHexStringLower(hash);
        }

        output.Write(EndMagic);
        WriteInt64(output, output.Position - start + 8);
        return hashes;
    }

    /// <summary>Reads and verifies a whole container; throws <see cref="CorruptFileException"/> on any defect.</summary>
    public static (int Version, Dictionary<string, Section> Sections) Read(Stream input, string path, ReadOnlySpan<byte> magic, int maxVersion)
    {
        try
        {
            var start = input.CanSeek ? input.Position : 0;
            var header = ReadExactly(input, magic.Length, "magic");
            if (!header.AsSpan().SequenceEqual(magic))
            {
                throw new CorruptFileException(path, $"wrong magic (expected \"{Encoding.ASCII.GetString(magic).TrimEnd('\0')}\")");
            }

            var version = ReadInt32(input, "format version");
            if (version < 1 || version > maxVersion)
            {
                throw new CorruptFileException(path, $"unsupported format version {version} (this build reads 1..{maxVersion})");
            }

            var count = ReadInt32(input, "section count");
            if (count < 0 || count > 1024)
            {
                throw new CorruptFileException(path, $"implausible section count {count}");
            }

            var sections = new Dictionary<string, Section>(StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                var nameLength = ReadInt32(input, $"section {i} name length");
                if (nameLength <= 0 || nameLength > MaxNameBytes)
                {
                    throw new CorruptFileException(path, $"section {i} has an implausible name length {nameLength}");
                }

                var name = Encoding.UTF8.GetString(ReadExactly(input, nameLength, $"section {i} name"));
                var length = ReadInt64(input, $"section '{name}' length");
                if (length < 0 || length > Array.MaxLength)
                {
                    throw new CorruptFileException(path, $"section '{name}' has an implausible length {length}");
                }

                if (input.CanSeek && input.Length - input.Position < length + 32)
                {
                    throw new CorruptFileException(path, $"truncated inside section '{name}' ({length} bytes declared, {Math.Max(0, input.Length - input.Position - 32)} present)");
                }

                var payload = ReadExactly(input, (int)length, $"section '{name}'");
                var stored = ReadExactly(input, 32, $"section '{name}' SHA-256");
                var actual = SHA256.HashData(payload);
                if (!actual.AsSpan().SequenceEqual(stored))
                {
                    throw new CorruptFileException(path, $"section '{name}': SHA-256 mismatch (stored {Convert.ToHexStringLower(stored)}, computed {Convert.ToHexStringLower(actual)})");
                }

                if (!sections.TryAdd(name, new Section(payload, Convert.ToHexStringLower(actual))))
                {
                    throw new CorruptFileException(path, $"section '{name}' appears twice");
                }
            }

            var end = ReadExactly(input, EndMagic.Length, "end marker");
            if (!end.AsSpan().SequenceEqual(EndMagic))
            {
                throw new CorruptFileException(path, "the end marker is missing");
            }

            var total = ReadInt64(input, "total length");
            if (input.CanSeek && total != input.Position - start)
            {
                throw new CorruptFileException(path, $"the recorded total length {total} differs from the bytes read {input.Position - start}");
            }

            if (input.CanSeek && input.Position != input.Length)
            {
                throw new CorruptFileException(path, $"{input.Length - input.Position} unexpected bytes after the end marker");
            }

            return (version, sections);
        }
        catch (EndOfStreamException ex)
        {
            throw new CorruptFileException(path, "truncated: " + ex.Message, ex);
        }
    }

    private static byte[] ReadExactly(Stream input, int count, string what)
    {
        var bytes = new byte[count];
        var read = input.ReadAtLeast(bytes, count, throwOnEndOfStream: false);
        if (read < count)
        {
            throw new EndOfStreamException($"the file ends inside the {what} ({read} of {count} bytes)");
        }

        return bytes;
    }

    private static int ReadInt32(Stream input, string what) => BinaryPrimitives.ReadInt32LittleEndian(ReadExactly(input, 4, what));

    private static long ReadInt64(Stream input, string what) => BinaryPrimitives.ReadInt64LittleEndian(ReadExactly(input, 8, what));

    private static void WriteInt32(Stream output, int value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        output.Write(b);
    }

    private static void WriteInt64(Stream output, long value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, value);
        output.Write(b);
    }

    /// <summary>A verified section: its payload and the hex SHA-256 of it.</summary>
    internal sealed record Section(byte[] Payload, string Sha256);

    // Forwards writes to the container stream while hashing them; never closes the inner stream.
    private sealed class HashingWriteStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public byte[] GetHash() => _hash.GetHashAndReset();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            _hash.AppendData(buffer);
            _length += buffer.Length;
        }

        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
