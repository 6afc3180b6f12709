using System.Buffers.Binary;
using System.Text;

namespace ConstCl.Video;

/// <summary>
/// Recognises a file's container from its bytes and checks the top-level structure for truncation, so that an
/// open failure can be reported as <see cref="VideoErrorKind.NotAVideo"/>, <see cref="VideoErrorKind.Truncated"/> or
/// <see cref="VideoErrorKind.UnsupportedCodec"/> rather than one generic error.
/// </summary>
internal static class ContainerSniffer
{
    private const int HeadBytes = 64 * 1024;

    /// <summary>Reads the head of <paramref name="path"/> (and walks MP4 boxes) and describes it.</summary>
    public static ContainerProbe Probe(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.RandomAccess);
        long length = stream.Length;
        var head = new byte[(int)Math.Min(length, HeadBytes)];
        stream.ReadExactly(head);
        return Probe(head, length, stream);
    }

    internal static ContainerProbe Probe(byte[] head, long length, Stream stream)
    {
        ReadOnlySpan<byte> h = head;
        if (h.Length >= 12 && Ascii(h, 0, 4) == "RIFF" && Ascii(h, 8, 4) == "AVI ")
        {
            long declared = BinaryPrimitives.ReadUInt32LittleEndian(h[4..]) + 8L;
            string? detail = declared > length ? $"the RIFF header announces {declared} bytes but the file has {length}" : null;
            return new ContainerProbe("avi", true, false, detail, AviFourCC(h));
        }

        if (h.Length >= 12 && Ascii(h, 0, 4) == "RIFF")
        {
            return new ContainerProbe("riff-" + Ascii(h, 8, 4).Trim().ToLowerInvariant(), false, false, null, null);
        }

        if (h.Length >= 8 && Ascii(h, 4, 4) is "ftyp" or "moov" or "mdat" or "wide" or "free" or "skip")
        {
            return new ContainerProbe("mp4", true, false, Mp4Truncation(stream, length), null);
        }

        if (h.Length >= 4 && h[0] == 0x1A && h[1] == 0x45 && h[2] == 0xDF && h[3] == 0xA3)
        {
            return new ContainerProbe("matroska", true, false, MatroskaTruncation(h, length), null);
        }

        if (h.Length >= 4 && h[0] == 0 && h[1] == 0 && h[2] == 1 && h[3] == 0xBA)
        {
            return new ContainerProbe("mpeg-ps", true, false, null, null);
        }

        if (h.Length >= 4 && h[0] == 0 && h[1] == 0 && h[2] == 1 && h[3] == 0xB3)
        {
            return new ContainerProbe("mpeg-es", true, false, null, null);
        }

        if (h.Length >= 377 && h[0] == 0x47 && h[188] == 0x47 && h[376] == 0x47)
        {
            return new ContainerProbe("mpeg-ts", true, false, null, null);
        }

        if (h.Length >= 4 && ((h[0] == 0 && h[1] == 0 && h[2] == 0 && h[3] == 1) || (h[0] == 0 && h[1] == 0 && h[2] == 1)))
        {
            return new ContainerProbe("elementary-stream", true, false, null, null);
        }

        if (h.Length >= 3 && Ascii(h, 0, 3) == "FLV")
        {
            return new ContainerProbe("flv", true, false, null, null);
        }

        if (h.Length >= 4 && Ascii(h, 0, 4) == "OggS")
        {
            return new ContainerProbe("ogg", true, false, null, null);
        }

        if (h.Length >= 4 && h[0] == 0x30 && h[1] == 0x26 && h[2] == 0xB2 && h[3] == 0x75)
        {
            return new ContainerProbe("asf", true, false, null, null);
        }

        string? image = ImageType(h);
        if (image is not null)
        {
            return new ContainerProbe(image, false, true, null, null);
        }

        return new ContainerProbe("unknown", false, false, null, null);
    }

    /// <summary>The image type of a still-image file's bytes, or null.</summary>
    internal static string? ImageType(ReadOnlySpan<byte> h)
    {
        if (h.Length >= 8 && h[0] == 0x89 && Ascii(h, 1, 3) == "PNG")
        {
            return "png";
        }

        if (h.Length >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF)
        {
            return "jpeg";
        }

        if (h.Length >= 6 && Ascii(h, 0, 4) == "GIF8")
        {
            return "gif";
        }

        if (h.Length >= 2 && h[0] == (byte)'B' && h[1] == (byte)'M')
        {
            return "bmp";
        }

        return null;
    }

    private static string Ascii(ReadOnlySpan<byte> h, int offset, int count)
    {
        var chars = new char[count];
        for (int i = 0; i < count; i++)
        {
            byte b = h[offset + i];
            chars[i] = b is >= 32 and < 127 ? (char)b : '?';
        }

        return new string(chars);
    }

    /// <summary>The FourCC of the first video stream: <c>strf</c>'s biCompression (what FFmpeg decodes by), else <c>strh</c>'s handler.</summary>
    private static string? AviFourCC(ReadOnlySpan<byte> h)
    {
        int strh = IndexOf(h, "strh"u8);
        while (strh >= 0 && strh + 16 <= h.Length)
        {
            if (Ascii(h, strh + 8, 4) == "vids")
            {
                int strf = IndexOf(h[(strh + 8)..], "strf"u8);
                if (strf >= 0)
                {
                    int bmi = strh + 8 + strf + 8;
                    if (bmi + 20 <= h.Length)
                    {
                        return Ascii(h, bmi + 16, 4);
                    }
                }

                return Ascii(h, strh + 12, 4);
            }

            int next = IndexOf(h[(strh + 4)..], "strh"u8);
            strh = next < 0 ? -1 : strh + 4 + next;
        }

        return null;
    }

    private static int IndexOf(ReadOnlySpan<byte> h, ReadOnlySpan<byte> what) => h.IndexOf(what);

    /// <summary>Walks the top-level MP4 boxes: a box running past the end, or no <c>moov</c> box, means truncated.</summary>
    private static string? Mp4Truncation(Stream stream, long length)
    {
        Span<byte> box = stackalloc byte[16];
        long offset = 0;
        bool moov = false;
        while (offset + 8 <= length)
        {
            stream.Position = offset;
            stream.ReadExactly(box[..8]);
            long size = BinaryPrimitives.ReadUInt32BigEndian(box);
            string type = Encoding.ASCII.GetString(box.Slice(4, 4));
            if (size == 1)
            {
                if (offset + 16 > length)
                {
                    return $"box '{type}' at byte {offset} is cut inside its header";
                }

                stream.ReadExactly(box.Slice(8, 8));
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(box[8..]);
            }
            else if (size == 0)
            {
                size = length - offset;
            }

            if (size < 8)
            {
                return moov ? null : $"box '{type}' at byte {offset} has an invalid size {size}";
            }

            moov |= type == "moov";
            if (offset + size > length)
            {
                return $"box '{type}' at byte {offset} announces {size} bytes but only {length - offset} remain";
            }

            offset += size;
        }

        return moov ? null : "no 'moov' box (index) was found: the recording was not finished or the file was cut";
    }

    /// <summary>Checks the EBML Segment's declared size (unknown-size segments, as in live WebM, are not judged).</summary>
    private static string? MatroskaTruncation(ReadOnlySpan<byte> h, long length)
    {
        int pos = 4;
        if (!ReadVint(h, ref pos, out long headerSize, out _))
        {
            return null;
        }

        pos += (int)Math.Min(headerSize, int.MaxValue - pos);
        if (pos + 4 > h.Length || !(h[pos] == 0x18 && h[pos + 1] == 0x53 && h[pos + 2] == 0x80 && h[pos + 3] == 0x67))
        {
            return null;
        }

        pos += 4;
        if (!ReadVint(h, ref pos, out long segmentSize, out bool unknown) || unknown)
        {
            return null;
        }

        long declared = pos + segmentSize;
        return declared > length ? $"the Matroska segment announces {declared} bytes but the file has {length}" : null;
    }

    private static bool ReadVint(ReadOnlySpan<byte> h, ref int pos, out long value, out bool unknown)
    {
        value = 0;
        unknown = false;
        if (pos >= h.Length || h[pos] == 0)
        {
            return false;
        }

        int width = System.Numerics.BitOperations.LeadingZeroCount((uint)h[pos]) - 24 + 1;
        if (pos + width > h.Length)
        {
            return false;
        }

        value = h[pos] & (0xFF >> width);
        bool allOnes = value == (0xFF >> width);
        for (int i = 1; i < width; i++)
        {
            value = (value << 8) | h[pos + i];
            allOnes &= h[pos + i] == 0xFF;
        }

        unknown = allOnes;
        pos += width;
        return true;
    }
}
