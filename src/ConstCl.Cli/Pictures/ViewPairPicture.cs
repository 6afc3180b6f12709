using System.Globalization;
using ConstCl.Data;
using SkiaSharp;

namespace ConstCl.Cli.Pictures;

/// <summary>
/// <c>views.png</c> (<c>constcl show-views</c>): what ConST-CL trains on, for one video. Two rows, view A and view B: every
/// augmented frame of each view (crop, flip, colour jitter, blur… as the pre-training loader makes them), its source
/// frame index underneath, and its region boxes (one colour per box slot; boxes the crop left empty are not drawn). The
/// key frame of each view, whose regions the local loss translates from one view into the other through the context
/// transformer, is framed in orange, and a line joins the two matched key frames.
/// </summary>
internal static class ViewPairPicture
{
    /// <summary>Default file name.</summary>
    internal const string FileName = "views.png";

    private const int Margin = 16, LabelColumn = 64, Header = 56, CaptionHeight = 20, RowGap = 56, Gap = 6;

    private static readonly SKColor KeyColor = new(255, 140, 0);

    /// <summary>Pixels per shown frame: small views are enlarged by a whole factor to at least 96 px, large ones shrunk to 160 px.</summary>
    internal static int CellSize(int viewSize) => viewSize < 96 ? viewSize * (int)Math.Ceiling(96.0 / viewSize) : Math.Min(viewSize, 160);

    /// <summary>The picture size for views of <paramref name="frames"/> frames of <paramref name="viewSize"/>².</summary>
    internal static (int Width, int Height) Size(int frames, int viewSize)
    {
        int cell = CellSize(viewSize);
        return ((2 * Margin) + LabelColumn + (frames * (cell + Gap)), Header + (2 * (cell + CaptionHeight)) + RowGap + Margin);
    }

    /// <summary>Draws <paramref name="sample"/> with key frames <paramref name="keyA"/> and <paramref name="keyB"/> (input-frame positions) to <paramref name="path"/>.</summary>
    internal static void Write(string path, TwoViewSample sample, int keyA, int keyB, bool zeroCentred, string title)
    {
        var c = CultureInfo.InvariantCulture;
        int frames = sample.Frames, cell = CellSize(sample.Size);
        var (width, height) = Size(frames, sample.Size);
        using var sheet = new PictureSheet(width, height);
        sheet.DrawText(title, Margin, 24, 15, SKColors.Black, maxWidth: width - (2 * Margin));
        sheet.DrawText(
            string.Create(c, $"{sample.BoxesPerFrame} region boxes per frame (one colour per box slot); orange: the key frames whose regions the local loss matches across the views"),
            Margin, 44, 11, SKColors.DimGray, maxWidth: width - (2 * Margin));
        float topA = Header, topB = Header + cell + CaptionHeight + RowGap;
        DrawView(sheet, "view A", sample.ViewA, sample.BoxesA, sample.MaskA, sample.FrameTimesA, keyA, topA);
        DrawView(sheet, "view B", sample.ViewB, sample.BoxesB, sample.MaskB, sample.FrameTimesB, keyB, topB);
        var from = new SKPoint(Left(keyA) + (cell / 2f), topA + cell + CaptionHeight - 2);
        var to = new SKPoint(Left(keyB) + (cell / 2f), topB - 4);
        sheet.DrawLine(from, to, KeyColor, 3);
        sheet.DrawText(
            string.Create(c, $"matched key frames: source frame {sample.FrameTimesA[keyA]} (A) and {sample.FrameTimesB[keyB]} (B)"),
            Math.Min(from.X, to.X) + 8, (from.Y + to.Y) / 2 + 4, 12, KeyColor);
        sheet.Save(path);

        float Left(int t) => Margin + LabelColumn + (t * (cell + Gap));

        void DrawView(PictureSheet target, string label, float[] view, float[] boxes, bool[] mask, long[] times, int key, float top)
        {
            target.DrawText(label, Margin, top + (cell / 2f), 13, SKColors.Black);
            int s = sample.Size, plane = frames * s * s, n = sample.BoxesPerFrame;
            var hwc = new float[s * s * 3];
            for (int t = 0; t < frames; t++)
            {
                // [3, T, H, W] → frame t as [H, W, 3].
                for (int p = 0; p < s * s; p++)
                {
                    for (int ch = 0; ch < 3; ch++)
                    {
                        hwc[(p * 3) + ch] = view[(ch * plane) + (t * s * s) + p];
                    }
                }

                float left = Left(t);
                var rect = new SKRect(left, top, left + cell, top + cell);
                target.DrawThumbnail(Thumbnail.FromUnitValues(hwc, s, s, zeroCentred), rect);
                for (int b = 0; b < n; b++)
                {
                    int j = (t * n) + b;
                    if (!mask[j])
                    {
                        continue;
                    }

                    var box = new SKRect(left + (boxes[4 * j] * cell), top + (boxes[(4 * j) + 1] * cell), left + (boxes[(4 * j) + 2] * cell), top + (boxes[(4 * j) + 3] * cell));
                    target.DrawOutline(box, ClassColors.SkiaFor(b, n), t == key ? 2.5f : 1.2f);
                }

                if (t == key)
                {
                    target.DrawOutline(SKRect.Inflate(rect, 3, 3), KeyColor, 5);
                }

                target.DrawText(string.Create(c, $"{(t == key ? "key, " : "")}t={times[t]}"), left + (cell / 2f), top + cell + 15, 11, t == key ? KeyColor : SKColors.DimGray, SKTextAlign.Center);
            }
        }
    }
}
