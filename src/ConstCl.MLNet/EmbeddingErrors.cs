namespace ConstCl.MLNet;

/// <summary>The error texts shared by the in-process and the saved path, so both name the video the same way.</summary>
internal static class EmbeddingErrors
{
    public static string CannotDecode(string path, Exception reason) =>
        $"ConstCl cannot embed the video '{path}': {reason.Message} Set SkipInvalidVideos = true to emit a zero vector and " +
        $"{ConstClDefaults.ValidColumnName} = false instead.";
}
