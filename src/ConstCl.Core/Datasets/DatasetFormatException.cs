namespace ConstCl.Datasets;

/// <summary>A split list, manifest or CSV file is malformed; the message names the file and the line.</summary>
public sealed class DatasetFormatException : FormatException
{
    /// <summary>Creates the exception; the message becomes <c>FILE:LINE: message</c>.</summary>
    /// <param name="filePath">The malformed file.</param>
    /// <param name="lineNumber">One-based line number, or 0 when the problem is not on one line.</param>
    /// <param name="message">What was wrong and what was expected.</param>
    public DatasetFormatException(string filePath, int lineNumber, string message)
        : base(lineNumber > 0 ? $"{filePath}:{lineNumber}: {message}" : $"{filePath}: {message}")
    {
        FilePath = filePath;
        LineNumber = lineNumber;
    }

    /// <summary>The malformed file.</summary>
    public string FilePath { get; }

    /// <summary>One-based line number of the problem, or 0 when it is not on one line.</summary>
    public int LineNumber { get; }
}
