namespace ConstCl.Core.Tests.Video;

/// <summary>Writes one 40-frame pattern video per codec OpenCV's bundled FFmpeg can encode, once per test class.</summary>
public sealed class VideoFilesFixture : IDisposable
{
    /// <summary>(file name, FourCC) of every written video: XviD-style MPEG-4 Part 2 AVI, MJPEG, MS-MPEG4 v2 and v3, MPEG-4 in MP4, MPEG-1, FFV1.</summary>
    public static readonly (string Name, string FourCC)[] Codecs =
    [
        ("xvid.avi", "XVID"), ("mjpg.avi", "MJPG"), ("mp42.avi", "MP42"), ("div3.avi", "DIV3"),
        ("mp4v.mp4", "mp4v"), ("mpeg1.mpg", "PIM1"), ("ffv1.avi", "FFV1"),
    ];

    public VideoFilesFixture()
    {
        Dir = TestVideos.NewTempDir();
        foreach (var (name, fourcc) in Codecs)
        {
            TestVideos.Write(Dir, name, fourcc);
        }
    }

    public string Dir { get; }

    public string PathOf(string name) => Path.Combine(Dir, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
