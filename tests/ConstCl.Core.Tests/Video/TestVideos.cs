using System.Buffers.Binary;
using System.Text;
using ConstCl.Video;
using OpenCvSharp;

namespace ConstCl.Core.Tests.Video;

/// <summary>
/// Writes small test videos at test time with OpenCV's VideoWriter. Frame i carries i as 8 bits in a 4×2 grid of
/// 16×24 blocks (bit b: column b % 4, row b / 4; set = gray 224, clear = gray 32), which survives lossy codecs,
/// so frame exactness can be asserted after seeking. Same pattern as TestData/video/make_videos.py.
/// </summary>
internal static class TestVideos
{
    public const int Width = 64;
    public const int Height = 48;

    public static string DataFolder => Path.Combine(AppContext.BaseDirectory, "TestData", "video");

    public static string NewTempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "constcl-video-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The BGR frame carrying <paramref name="index"/> (0..255).</summary>
    public static Mat PatternFrame(int index, int width = Width, int height = Height)
    {
        var m = new Mat(height, width, MatType.CV_8UC3, new Scalar(32, 32, 32));
        int bw = width / 4, bh = height / 2;
        for (int b = 0; b < 8; b++)
        {
            if (((index >> b) & 1) == 1)
            {
                m.Rectangle(new Rect((b % 4) * bw, (b / 4) * bh, bw, bh), new Scalar(224, 224, 224), -1);
            }
        }

        return m;
    }

    /// <summary>Reads the index back from an RGB24 frame: mean of each block's central area above 128 means the bit is set.</summary>
    public static int DecodeIndex(byte[] rgb, int width, int height)
    {
        int bw = width / 4, bh = height / 2, index = 0;
        for (int b = 0; b < 8; b++)
        {
            int x0 = (b % 4) * bw, y0 = (b / 4) * bh;
            long sum = 0;
            int n = 0;
            for (int y = y0 + (bh / 4); y < y0 + (3 * bh / 4); y++)
            {
                for (int x = x0 + (bw / 4); x < x0 + (3 * bw / 4); x++)
                {
                    for (int c = 0; c < 3; c++)
                    {
                        sum += rgb[(((y * width) + x) * 3) + c];
                        n++;
                    }
                }
            }

            if (sum > 128L * n)
            {
                index |= 1 << b;
            }
        }

        return index;
    }

    public static int[] DecodeIndices(FrameSequence seq)
        => seq.Frames.Select(f => DecodeIndex(f, seq.Width, seq.Height)).ToArray();

    /// <summary>Writes <paramref name="frames"/> pattern frames with <paramref name="fourcc"/>; throws when the writer does not open.</summary>
    public static string Write(string dir, string name, string fourcc, int frames = 40, double fps = 25)
    {
        var path = Path.Combine(dir, name);
        using (var writer = new VideoWriter(path, VideoCaptureAPIs.FFMPEG, FourCC.FromString(fourcc), fps, new OpenCvSharp.Size(Width, Height), true))
        {
            if (!writer.IsOpened())
            {
                throw new InvalidOperationException($"VideoWriter could not open {fourcc} for {path}.");
            }

            for (int i = 0; i < frames; i++)
            {
                using var m = PatternFrame(i);
                writer.Write(m);
            }
        }

        return path;
    }

    /// <summary>Sets an AVI's frame count in both the main header (avih dwTotalFrames) and the video stream header (strh dwLength).</summary>
    public static void PatchAviFrameCount(string path, int frames)
    {
        var bytes = File.ReadAllBytes(path);
        int avih = IndexOf(bytes, "avih", 0);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(avih + 8 + 16), frames);
        int strh = IndexOf(bytes, "strh", 0);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(strh + 8 + 32), frames);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Replaces the video FourCC (strh handler and strf biCompression) of an AVI.</summary>
    public static void PatchAviFourCC(string path, string fourcc)
    {
        var bytes = File.ReadAllBytes(path);
        var code = Encoding.ASCII.GetBytes(fourcc);
        int strh = IndexOf(bytes, "strh", 0);
        code.CopyTo(bytes, strh + 8 + 4);
        int strf = IndexOf(bytes, "strf", strh);
        code.CopyTo(bytes, strf + 8 + 16);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Byte offsets of the data of each <c>00dc</c> (video frame) chunk in an AVI's movi list.</summary>
    public static List<(int Offset, int Size)> AviFrameChunks(byte[] bytes)
    {
        var list = new List<(int, int)>();
        int movi = IndexOf(bytes, "movi", 0);
        int pos = movi + 4;
        while (pos + 8 <= bytes.Length)
        {
            string id = Encoding.ASCII.GetString(bytes, pos, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(pos + 4));
            if (id == "idx1")
            {
                break;
            }

            if (id.EndsWith("dc", StringComparison.Ordinal) || id.EndsWith("db", StringComparison.Ordinal))
            {
                list.Add((pos + 8, size));
            }

            pos += 8 + size + (size & 1);
        }

        return list;
    }

    public static int IndexOf(byte[] bytes, string ascii, int from)
    {
        int i = bytes.AsSpan(from).IndexOf(Encoding.ASCII.GetBytes(ascii));
        if (i < 0)
        {
            throw new InvalidDataException($"'{ascii}' not found.");
        }

        return from + i;
    }
}
