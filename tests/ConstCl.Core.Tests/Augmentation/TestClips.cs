using ConstCl.Augmentation;
using ConstCl.Video;

namespace ConstCl.Core.Tests.Augmentation;

/// <summary>Small deterministic frames and clips for the augmentation tests.</summary>
internal static class TestClips
{
    /// <summary>RGB24 frames whose bytes are a fixed function of (t, y, x, c), so slices can be checked exactly.</summary>
    public static FrameSequence PatternFrames(int frames, int height, int width)
    {
        var list = new List<byte[]>();
        for (int t = 0; t < frames; t++)
        {
            var f = new byte[height * width * 3];
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    for (int c = 0; c < 3; c++)
                    {
                        f[(((y * width) + x) * 3) + c] = PatternValue(t, y, x, c);
                    }
                }
            }

            list.Add(f);
        }

        return new FrameSequence(list, width, height);
    }

    public static byte PatternValue(int t, int y, int x, int c) => (byte)(((t * 37) + (y * 11) + (x * 7) + (c * 83) + ((x * y) % 13)) % 256);

    /// <summary>A clip of uniform random values in [0, 1].</summary>
    public static Clip RandomClip(int frames, int height, int width, int seed)
    {
        var random = new Random(seed);
        var clip = new Clip(frames, height, width);
        for (int i = 0; i < clip.Data.Length; i++)
        {
            clip.Data[i] = random.NextSingle();
        }

        return clip;
    }

    public static float At(Clip clip, int t, int y, int x, int c) => clip.Data[(((((t * clip.Height) + y) * clip.Width) + x) * 3) + c];
}
