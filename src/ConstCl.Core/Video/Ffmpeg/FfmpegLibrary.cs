using System.Runtime.InteropServices;

namespace ConstCl.Video.Ffmpeg;

/// <summary>
/// The system's FFmpeg libraries (libavformat, libavcodec, libavutil, libswscale), loaded once per process by their
/// exact shared-object names and bound to the entry points the FFmpeg back-end calls. Only the major versions whose
/// struct layout is pinned in <see cref="FfmpegAbi"/> are accepted: an unknown major version is refused with a reason
/// (the OpenCV back-end is then used), never read with guessed offsets.
/// </summary>
internal sealed unsafe class FfmpegLibrary
{
    private static readonly Lazy<(FfmpegLibrary? Library, string Reason)> Loaded = new(() => Load(FfmpegAbi.SharedObjects), LazyThreadSafetyMode.ExecutionAndPublication);

    // The entry points, named and typed as in FFmpeg 5.1's headers (avformat.h, avcodec.h, packet.h, frame.h, dict.h,
    // error.h, log.h, swscale.h): pointers as IntPtr, `T **` as IntPtr*, C strings as byte*, enums as int.

    // libavformat
    public delegate* unmanaged[Cdecl]<uint> avformat_version;
    public delegate* unmanaged[Cdecl]<IntPtr*, byte*, IntPtr, IntPtr*, int> avformat_open_input;
    public delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, int> avformat_find_stream_info;
    public delegate* unmanaged[Cdecl]<IntPtr, int, int, int, IntPtr*, int, int> av_find_best_stream;
    public delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int> av_read_frame;
    public delegate* unmanaged[Cdecl]<IntPtr, int, long, int, int> av_seek_frame;
    public delegate* unmanaged[Cdecl]<IntPtr*, void> avformat_close_input;
    public delegate* unmanaged[Cdecl]<IntPtr*, int, uint> av_codec_get_tag;
    public delegate* unmanaged[Cdecl]<IntPtr> avformat_get_riff_video_tags;
    public delegate* unmanaged[Cdecl]<IntPtr> avformat_get_mov_video_tags;

    // libavcodec
    public delegate* unmanaged[Cdecl]<uint> avcodec_version;
    public delegate* unmanaged[Cdecl]<int, IntPtr> avcodec_find_decoder;
    public delegate* unmanaged[Cdecl]<int, IntPtr> avcodec_get_name;
    public delegate* unmanaged[Cdecl]<IntPtr, IntPtr> avcodec_alloc_context3;
    public delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int> avcodec_parameters_to_context;
    public delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr*, int> avcodec_open2;
    public delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int> avcodec_send_packet;
    public delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int> avcodec_receive_frame;
    public delegate* unmanaged[Cdecl]<IntPtr, void> avcodec_flush_buffers;
    public delegate* unmanaged[Cdecl]<IntPtr*, void> avcodec_free_context;
    public delegate* unmanaged[Cdecl]<IntPtr> av_packet_alloc;
    public delegate* unmanaged[Cdecl]<IntPtr, void> av_packet_unref;
    public delegate* unmanaged[Cdecl]<IntPtr*, void> av_packet_free;

    // libavutil
    public delegate* unmanaged[Cdecl]<uint> avutil_version;
    public delegate* unmanaged[Cdecl]<IntPtr> av_frame_alloc;
    public delegate* unmanaged[Cdecl]<IntPtr, void> av_frame_unref;
    public delegate* unmanaged[Cdecl]<IntPtr*, void> av_frame_free;
    public delegate* unmanaged[Cdecl]<IntPtr*, byte*, byte*, int, int> av_dict_set;
    public delegate* unmanaged[Cdecl]<IntPtr*, void> av_dict_free;
    public delegate* unmanaged[Cdecl]<int, byte*, nuint, int> av_strerror;
    public delegate* unmanaged[Cdecl]<int, void> av_log_set_level;

    // libswscale
    public delegate* unmanaged[Cdecl]<uint> swscale_version;
    public delegate* unmanaged[Cdecl]<IntPtr, int, int, int, int, int, int, int, IntPtr, IntPtr, double*, IntPtr> sws_getCachedContext;
    public delegate* unmanaged[Cdecl]<IntPtr, byte**, int*, int, int, byte**, int*, int> sws_scale;
    public delegate* unmanaged[Cdecl]<IntPtr, void> sws_freeContext;

    private FfmpegLibrary()
    {
    }

    /// <summary>The loaded versions, e.g. <c>libavformat 59.27.100, libavcodec 59.37.100, …</c>.</summary>
    public string Versions { get; private set; } = string.Empty;

    /// <summary>The loaded library, or null when it did not load (see <see cref="UnavailableReason"/>).</summary>
    public static FfmpegLibrary? TryInstance => Loaded.Value.Library;

    /// <summary>True when the system FFmpeg loaded (checked once per process).</summary>
    public static bool IsAvailable => Loaded.Value.Library is not null;

    /// <summary>Why the system FFmpeg is not used (empty when it loaded).</summary>
    public static string UnavailableReason => Loaded.Value.Reason;

    /// <summary>The loaded library; throws <see cref="NotSupportedException"/> with the reason when it did not load.</summary>
    public static FfmpegLibrary Instance
        => Loaded.Value.Library ?? throw new NotSupportedException($"The FFmpeg decoder back-end is not available: {Loaded.Value.Reason}");

    /// <summary>The major versions the loaded libraries report (libavformat, libavcodec, libavutil, libswscale).</summary>
    public (int AvFormat, int AvCodec, int AvUtil, int SwScale) MajorVersions()
        => ((int)(avformat_version() >> 16), (int)(avcodec_version() >> 16), (int)(avutil_version() >> 16), (int)(swscale_version() >> 16));

    /// <summary>FFmpeg's text for an error code (<c>av_strerror</c>).</summary>
    public string ErrorText(int error)
    {
        byte* buffer = stackalloc byte[256];
        return av_strerror(error, buffer, 256) == 0 ? Marshal.PtrToStringUTF8((IntPtr)buffer) ?? $"error {error}" : $"error {error}";
    }

    /// <summary>Loads and binds <paramref name="sharedObjects"/> (name, soname); the library, or null and why not.</summary>
    internal static (FfmpegLibrary? Library, string Reason) Load(IReadOnlyList<(string Name, string SoName)> sharedObjects)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return (null, $"the FFmpeg struct layout is pinned for Linux x64 only (this is {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}).");
        }

        // Only sonames whose layout FfmpegAbi pins: a newer FFmpeg is a different major version, hence a different soname.
        var handles = new Dictionary<string, IntPtr>();
        foreach (var (name, soname) in sharedObjects)
        {
            if (!NativeLibrary.TryLoad(soname, out var handle))
            {
                return (null, $"{soname} was not found (on Debian 12 / Ubuntu: apt-get install libavformat59 libavcodec59 libswscale6 libavutil57).");
            }

            handles[name] = handle;
        }

        var lib = new FfmpegLibrary();
        try
        {
            lib.Bind(handles);
        }
        catch (EntryPointNotFoundException e)
        {
            return (null, $"an FFmpeg entry point is missing ({e.Message}).");
        }

        var versions = new (string Name, uint Version, int Major)[]
        {
            ("libavformat", lib.avformat_version(), FfmpegAbi.AvFormatMajor),
            ("libavcodec", lib.avcodec_version(), FfmpegAbi.AvCodecMajor),
            ("libavutil", lib.avutil_version(), FfmpegAbi.AvUtilMajor),
            ("libswscale", lib.swscale_version(), FfmpegAbi.SwScaleMajor),
        };
        string text = string.Join(", ", versions.Select(v => $"{v.Name} {v.Version >> 16}.{(v.Version >> 8) & 0xFF}.{v.Version & 0xFF}"));
        foreach (var v in versions)
        {
            if ((int)(v.Version >> 16) != v.Major)
            {
                return (null, $"{v.Name} reports major version {v.Version >> 16}, but only {v.Major} has a pinned struct layout ({text}).");
            }
        }

        lib.Versions = text;
        lib.av_log_set_level(FfmpegAbi.AvLogError); // errors only, as OpenCV's bundled FFmpeg
        return (lib, string.Empty);
    }

    private void Bind(Dictionary<string, IntPtr> h)
    {
        IntPtr F(string lib, string name) => NativeLibrary.GetExport(h[lib], name);

        avformat_version = (delegate* unmanaged[Cdecl]<uint>)F("avformat", nameof(avformat_version));
        avformat_open_input = (delegate* unmanaged[Cdecl]<IntPtr*, byte*, IntPtr, IntPtr*, int>)F("avformat", nameof(avformat_open_input));
        avformat_find_stream_info = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, int>)F("avformat", nameof(avformat_find_stream_info));
        av_find_best_stream = (delegate* unmanaged[Cdecl]<IntPtr, int, int, int, IntPtr*, int, int>)F("avformat", nameof(av_find_best_stream));
        av_read_frame = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int>)F("avformat", nameof(av_read_frame));
        av_seek_frame = (delegate* unmanaged[Cdecl]<IntPtr, int, long, int, int>)F("avformat", nameof(av_seek_frame));
        avformat_close_input = (delegate* unmanaged[Cdecl]<IntPtr*, void>)F("avformat", nameof(avformat_close_input));
        av_codec_get_tag = (delegate* unmanaged[Cdecl]<IntPtr*, int, uint>)F("avformat", nameof(av_codec_get_tag));
        avformat_get_riff_video_tags = (delegate* unmanaged[Cdecl]<IntPtr>)F("avformat", nameof(avformat_get_riff_video_tags));
        avformat_get_mov_video_tags = (delegate* unmanaged[Cdecl]<IntPtr>)F("avformat", nameof(avformat_get_mov_video_tags));

        avcodec_version = (delegate* unmanaged[Cdecl]<uint>)F("avcodec", nameof(avcodec_version));
        avcodec_find_decoder = (delegate* unmanaged[Cdecl]<int, IntPtr>)F("avcodec", nameof(avcodec_find_decoder));
        avcodec_get_name = (delegate* unmanaged[Cdecl]<int, IntPtr>)F("avcodec", nameof(avcodec_get_name));
        avcodec_alloc_context3 = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)F("avcodec", nameof(avcodec_alloc_context3));
        avcodec_parameters_to_context = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int>)F("avcodec", nameof(avcodec_parameters_to_context));
        avcodec_open2 = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr*, int>)F("avcodec", nameof(avcodec_open2));
        avcodec_send_packet = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int>)F("avcodec", nameof(avcodec_send_packet));
        avcodec_receive_frame = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int>)F("avcodec", nameof(avcodec_receive_frame));
        avcodec_flush_buffers = (delegate* unmanaged[Cdecl]<IntPtr, void>)F("avcodec", nameof(avcodec_flush_buffers));
        avcodec_free_context = (delegate* unmanaged[Cdecl]<IntPtr*, void>)F("avcodec", nameof(avcodec_free_context));
        av_packet_alloc = (delegate* unmanaged[Cdecl]<IntPtr>)F("avcodec", nameof(av_packet_alloc));
        av_packet_unref = (delegate* unmanaged[Cdecl]<IntPtr, void>)F("avcodec", nameof(av_packet_unref));
        av_packet_free = (delegate* unmanaged[Cdecl]<IntPtr*, void>)F("avcodec", nameof(av_packet_free));

        avutil_version = (delegate* unmanaged[Cdecl]<uint>)F("avutil", nameof(avutil_version));
        av_frame_alloc = (delegate* unmanaged[Cdecl]<IntPtr>)F("avutil", nameof(av_frame_alloc));
        av_frame_unref = (delegate* unmanaged[Cdecl]<IntPtr, void>)F("avutil", nameof(av_frame_unref));
        av_frame_free = (delegate* unmanaged[Cdecl]<IntPtr*, void>)F("avutil", nameof(av_frame_free));
        av_dict_set = (delegate* unmanaged[Cdecl]<IntPtr*, byte*, byte*, int, int>)F("avutil", nameof(av_dict_set));
        av_dict_free = (delegate* unmanaged[Cdecl]<IntPtr*, void>)F("avutil", nameof(av_dict_free));
        av_strerror = (delegate* unmanaged[Cdecl]<int, byte*, nuint, int>)F("avutil", nameof(av_strerror));
        av_log_set_level = (delegate* unmanaged[Cdecl]<int, void>)F("avutil", nameof(av_log_set_level));

        swscale_version = (delegate* unmanaged[Cdecl]<uint>)F("swscale", nameof(swscale_version));
        sws_getCachedContext = (delegate* unmanaged[Cdecl]<IntPtr, int, int, int, int, int, int, int, IntPtr, IntPtr, double*, IntPtr>)F("swscale", nameof(sws_getCachedContext));
        sws_scale = (delegate* unmanaged[Cdecl]<IntPtr, byte**, int*, int, int, byte**, int*, int>)F("swscale", nameof(sws_scale));
        sws_freeContext = (delegate* unmanaged[Cdecl]<IntPtr, void>)F("swscale", nameof(sws_freeContext));
    }
}
