using System.Runtime.InteropServices;
using SkiaSharp;

namespace ConstCl.Cli.Pictures;

/// <summary>
/// A white canvas for pictures made of frames rather than axes (the retrieval view, the view pair): thumbnails scaled
/// with nearest-neighbour sampling (so a 32² frame stays sharp), coloured rectangles and text in ScottPlot's default
/// font (the one the plots use, so every picture renders where the plots do). Written as PNG.
/// </summary>
internal sealed class PictureSheet : IDisposable
{
    private readonly SKSurface _surface;
    private readonly SKTypeface _typeface;

    internal PictureSheet(int width, int height)
    {
        Width = width;
        Height = height;
        _surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"cannot create a {width}×{height} drawing surface.");
        _surface.Canvas.Clear(SKColors.White);
        _typeface = ScottPlot.Fonts.GetTypeface(ScottPlot.Fonts.Default, bold: false, italic: false);
    }

    /// <summary>Width in pixels.</summary>
    internal int Width { get; }

    /// <summary>Height in pixels.</summary>
    internal int Height { get; }

    /// <summary>Draws <paramref name="picture"/> into the rectangle (stretched, nearest-neighbour).</summary>
    internal void DrawThumbnail(Thumbnail picture, SKRect destination)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(picture.Width, picture.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = new byte[picture.Width * picture.Height * 4];
        for (int p = 0, s = 0; s < picture.Rgb.Length; p += 4, s += 3)
        {
            rgba[p] = picture.Rgb[s];
            rgba[p + 1] = picture.Rgb[s + 1];
            rgba[p + 2] = picture.Rgb[s + 2];
            rgba[p + 3] = 255;
        }

        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var image = SKImage.FromBitmap(bitmap);
        _surface.Canvas.DrawImage(image, destination, new SKSamplingOptions(SKFilterMode.Nearest));
    }

    /// <summary>A grey box with a short note, where a frame could not be decoded.</summary>
    internal void DrawMissing(SKRect destination, string note)
    {
        using var fill = new SKPaint { Color = new SKColor(220, 220, 220), Style = SKPaintStyle.Fill };
        _surface.Canvas.DrawRect(destination, fill);
        DrawText(note, destination.MidX, destination.MidY, 11, SKColors.DimGray, SKTextAlign.Center);
    }

    /// <summary>A rectangle outline of <paramref name="thickness"/> pixels.</summary>
    internal void DrawOutline(SKRect rectangle, SKColor color, float thickness)
    {
        using var paint = new SKPaint { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = thickness, IsAntialias = true };
        _surface.Canvas.DrawRect(rectangle, paint);
    }

    /// <summary>A straight line.</summary>
    internal void DrawLine(SKPoint from, SKPoint to, SKColor color, float thickness)
    {
        using var paint = new SKPaint { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = thickness, IsAntialias = true };
        _surface.Canvas.DrawLine(from, to, paint);
    }

    /// <summary>One line of text with its baseline at <paramref name="y"/>, cut with an ellipsis to <paramref name="maxWidth"/> when given.</summary>
    internal void DrawText(string text, float x, float y, float size, SKColor color, SKTextAlign align = SKTextAlign.Left, float? maxWidth = null)
    {
        using var font = new SKFont(_typeface, size);
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        if (maxWidth is float limit && font.MeasureText(text) > limit)
        {
            while (text.Length > 1 && font.MeasureText(text + "…") > limit)
            {
                text = text[..^1];
            }

            text += "…";
        }

        _surface.Canvas.DrawText(text, x, y, align, font, paint);
    }

    /// <summary>Encodes the sheet as PNG and writes it atomically.</summary>
    internal void Save(string path)
    {
        using var image = _surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        Commands.Probe.ProbeFiles.WriteAtomically(path, tmp => File.WriteAllBytes(tmp, data.ToArray()));
    }

    public void Dispose()
    {
        _surface.Dispose();
    }
}
