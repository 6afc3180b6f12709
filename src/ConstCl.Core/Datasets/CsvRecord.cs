namespace ConstCl.Datasets;

/// <summary>One non-blank CSV line read by <see cref="Csv.ReadRecords"/>: its one-based number, its text and its fields.</summary>
/// <param name="Number">One-based line number in the file (for error messages).</param>
/// <param name="Text">The line as read (header errors quote it).</param>
/// <param name="Fields">The fields, unquoted, not trimmed.</param>
internal readonly record struct CsvRecord(int Number, string Text, List<string> Fields);
