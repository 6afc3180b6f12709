namespace ConstCl.Data;

/// <summary>Size and frame count of a cached video.</summary>
/// <param name="Width">Frame width at the decode size.</param>
/// <param name="Height">Frame height at the decode size.</param>
/// <param name="FrameCount">Decodable frames.</param>
internal readonly record struct CachedVideoInfo(int Width, int Height, int FrameCount);
