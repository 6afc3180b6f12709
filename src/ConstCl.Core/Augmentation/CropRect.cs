namespace ConstCl.Augmentation;

/// <summary>A crop window in source pixels: columns <c>[X, X + Width)</c>, rows <c>[Y, Y + Height)</c>.</summary>
/// <param name="X">First column.</param>
/// <param name="Y">First row.</param>
/// <param name="Width">Columns in the crop.</param>
/// <param name="Height">Rows in the crop.</param>
public readonly record struct CropRect(int X, int Y, int Width, int Height)
{
    /// <summary>Pixels in the crop.</summary>
    public long Area => (long)Width * Height;

    internal void Validate(int sourceWidth, int sourceHeight, string paramName)
    {
        if (Width <= 0 || Height <= 0 || X < 0 || Y < 0 || X + Width > sourceWidth || Y + Height > sourceHeight)
        {
            throw new ArgumentOutOfRangeException(paramName, $"Crop {this} does not fit in a {sourceWidth}×{sourceHeight} frame.");
        }
    }
}
