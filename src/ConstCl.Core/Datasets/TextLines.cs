using System.Text;

namespace ConstCl.Datasets;

/// <summary>Reads text list files the way they are found in the wild: any BOM, LF or CRLF, blank lines.</summary>
internal static class TextLines
{
    /// <summary>One line of a file with its one-based number.</summary>
    internal readonly record struct Line(int Number, string Text);

    /// <summary>Reads every line; the BOM is removed and line endings (LF, CRLF, CR) are stripped.</summary>
    internal static List<Line> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"List file not found: '{path}'.", path);
        }

        var lines = new List<Line>();
        using var reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        string? text;
        int n = 0;
        while ((text = reader.ReadLine()) is not null)
        {
            n++;
            if (n == 1 && text.Length > 0 && text[0] == '\uFEFF')
            {
                // A second BOM (files concatenated or re-saved) survives the reader's detection.
                text = text[1..];
            }

            lines.Add(new Line(n, text));
        }

        return lines;
    }

    /// <summary>Splits on runs of spaces and tabs (list files use either).</summary>
    internal static string[] SplitWhitespace(string text) =>
        text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
