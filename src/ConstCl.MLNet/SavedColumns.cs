namespace ConstCl.MLNet;

/// <summary>Names of the temporary columns of the saved chain (dropped at its end) and of the ONNX values.</summary>
internal static class SavedColumns
{
    /// <summary>Prefix of every temporary column and ONNX value name.</summary>
    public const string Prefix = "__constcl_";

    public const string Path = Prefix + "path";
    public const string Spec = Prefix + "spec";
    public const string Clips = Prefix + "clips";
    public const string Shape = Prefix + "clip_shape";
    public const string Weight = Prefix + "clip_weight";
    public const string Embedding = Prefix + "embedding";

    /// <summary>The contract name of the clip decoder; part of every saved model: never change it.</summary>
    public const string DecoderContract = "ConstCl.VideoClipDecoder.v1";
}
