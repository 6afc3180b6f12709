using SkiaSharp;

namespace ConstCl.Cli.Pictures;

/// <summary>
/// <c>retrieval.png</c>: nearest-neighbour retrieval made visible. Each row is a test video (the query, blue frame) and
/// its k most similar training videos by cosine similarity of the embeddings, best first; a neighbour of the query's
/// class is framed green, any other red, and every picture is captioned with its class. Recall@k in <c>--json-out</c> is the
/// share of queries with at least one green frame among the first k.
/// </summary>
internal static class RetrievalView
{
    /// <summary>File name of the picture.</summary>
    internal const string FileName = "retrieval.png";

    /// <summary>Side of a shown frame in pixels.</summary>
    internal const int Cell = 112;

    private const int Gap = 12, Caption = 34, Margin = 16, Header = 44;

    /// <summary>The test videos shown as queries: the first of each class, for up to <paramref name="rows"/> classes spread evenly over the class list.</summary>
    /// <param name="testLabels">Class of each test video, in test order.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="rows">Most rows.</param>
    internal static int[] ChooseQueries(IReadOnlyList<int> testLabels, int classes, int rows)
    {
        var first = new Dictionary<int, int>();
        for (int i = 0; i < testLabels.Count; i++)
        {
            first.TryAdd(testLabels[i], i);
        }

        var present = Enumerable.Range(0, classes).Where(first.ContainsKey).ToArray();
        if (present.Length <= rows)
        {
            return present.Select(c => first[c]).ToArray();
        }

        return Enumerable.Range(0, rows).Select(r => first[present[(int)((long)r * present.Length / rows)]]).ToArray();
    }

    /// <summary>The picture size for <paramref name="rows"/> queries with <paramref name="k"/> neighbours each.</summary>
    internal static (int Width, int Height) Size(int rows, int k) =>
        ((2 * Margin) + ((k + 1) * (Cell + Gap)) + Gap, Header + (rows * (Cell + Caption + Gap)) + Margin);

    /// <summary>Draws the rows (query first, then its neighbours best first) to <paramref name="path"/>.</summary>
    internal static void Write(string path, IReadOnlyList<RetrievalItem[]> rows, IReadOnlyList<string> classNames, string title)
    {
        int k = rows.Count == 0 ? 0 : rows.Max(r => r.Length - 1);
        var (width, height) = Size(rows.Count, k);
        using var sheet = new PictureSheet(width, height);
        sheet.DrawText(title, Margin, 26, 16, SKColors.Black, maxWidth: width - (2 * Margin));
        for (int r = 0; r < rows.Count; r++)
        {
            float top = Header + (r * (Cell + Caption + Gap));
            var row = rows[r];
            int queryClass = row[0].ClassIndex;
            for (int j = 0; j < row.Length; j++)
            {
                float left = Margin + (j * (Cell + Gap)) + (j > 0 ? Gap : 0);
                var cell = new SKRect(left, top, left + Cell, top + Cell);
                var item = row[j];
                if (item.Frame is { } frame)
                {
                    sheet.DrawThumbnail(frame, cell);
                }
                else
                {
                    sheet.DrawMissing(cell, "not decoded");
                }

                var color = j == 0 ? SKColors.RoyalBlue : item.ClassIndex == queryClass ? SKColors.ForestGreen : SKColors.Crimson;
                sheet.DrawOutline(cell, color, 4);
                string name = (uint)item.ClassIndex < (uint)classNames.Count ? classNames[item.ClassIndex] : "?";
                sheet.DrawText(j == 0 ? $"query: {name}" : $"{j}. {name}", left, top + Cell + 14, 11, color, maxWidth: Cell);
                sheet.DrawText(item.Caption, left, top + Cell + 28, 10, SKColors.DimGray, maxWidth: Cell);
            }
        }

        sheet.Save(path);
    }
}
