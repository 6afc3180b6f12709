namespace ConstCl.Video.Ffmpeg;

/// <summary>What one decode step of <see cref="FfmpegDecoder.Next"/> produced.</summary>
internal enum FfmpegFrameResult
{
    /// <summary>A frame is in <see cref="FfmpegDecoder.Frame"/>.</summary>
    Frame,

    /// <summary>A packet failed to decode (a bad slice); the next step continues with the following packet.</summary>
    Failed,

    /// <summary>The stream is exhausted (end of file, or a read error, after draining the decoder).</summary>
    End,
}
