using System.Text;

namespace ConstCl.Datasets;

/// <summary>
/// Minimal RFC 4180 CSV for one-line records: comma-separated, fields may be double-quoted, a quote
/// inside a quoted field is doubled. A quoted field may not span lines (manifest paths never do). Public for
/// <see cref="Escape"/>, the quoting of every CSV file ConstCl writes; the readers are internal.
/// </summary>
public static class Csv
{
    /// <summary>
    /// The one CSV reading loop: every line of <paramref name="lines"/> that is not blank (nor, with
    /// <paramref name="skipComments"/>, a comment starting with <c>#</c>) split into fields, lazily, so a caller's
    /// errors come in line order. The first record is the header; callers check field counts against it.
    /// </summary>
    /// <exception cref="DatasetFormatException">A line is not valid CSV (the message names file and line).</exception>
    internal static IEnumerable<CsvRecord> ReadRecords(IEnumerable<TextLines.Line> lines, string file, bool skipComments = false)
    {
        foreach (TextLines.Line line in lines)
        {
            string trimmed = line.Text.Trim();
            if (trimmed.Length == 0 || (skipComments && trimmed[0] == '#'))
            {
                continue;
            }

            yield return new CsvRecord(line.Number, line.Text, ParseLine(line.Text, file, line.Number));
        }
    }

    /// <summary>Splits one line into fields; throws <see cref="DatasetFormatException"/> naming file and line.</summary>
    internal static List<string> ParseLine(string line, string file, int lineNumber)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        int i = 0;
        while (true)
        {
            sb.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new DatasetFormatException(file, lineNumber, $"unterminated quoted field starting in field {fields.Count + 1} (quoted fields may not span lines).");
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            sb.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    sb.Append(line[i++]);
                }

                if (i < line.Length && line[i] != ',')
                {
                    throw new DatasetFormatException(file, lineNumber, $"unexpected character '{line[i]}' after the closing quote of field {fields.Count + 1}; expected ',' or end of line.");
                }
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    if (line[i] == '"')
                    {
                        throw new DatasetFormatException(file, lineNumber, $"stray quote inside unquoted field {fields.Count + 1}; quote the whole field and double inner quotes.");
                    }

                    sb.Append(line[i++]);
                }
            }

            fields.Add(sb.ToString());
            if (i >= line.Length)
            {
                return fields;
            }

            i++; // the comma
        }
    }

    /// <summary>
    /// Quotes a field when it holds a comma, quote, line break or leading/trailing space (inner quotes doubled); returns
    /// any other field unchanged.
    /// </summary>
    /// <param name="field">The field's text.</param>
    /// <returns>The field as it goes between the commas of a line.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="field"/> is null.</exception>
    public static string Escape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        bool needs = field.Length > 0 && (field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || char.IsWhiteSpace(field[0]) || char.IsWhiteSpace(field[^1]));
        return needs ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }

    /// <summary>Index of each named column in a header row (names compared trimmed, case-insensitively).</summary>
    internal static Dictionary<string, int> HeaderIndex(List<string> header, string file, int lineNumber)
    {
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < header.Count; i++)
        {
            string name = header[i].Trim();
            if (name.Length > 0 && !index.TryAdd(name, i))
            {
                throw new DatasetFormatException(file, lineNumber, $"column '{name}' appears twice in the header.");
            }
        }

        return index;
    }
}
