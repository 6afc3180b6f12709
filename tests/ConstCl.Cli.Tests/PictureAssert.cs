using System.Xml;
using SkiaSharp;

namespace ConstCl.Cli.Tests;

/// <summary>Checks on the pictures and the HTML report: a PNG must decode, at the expected size; every link of a report must resolve.</summary>
internal static class PictureAssert
{
    /// <summary>Decodes the PNG at <paramref name="path"/> and returns its size.</summary>
    internal static (int Width, int Height) DecodesAsPng(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes.Take(4));
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        return (bitmap.Width, bitmap.Height);
    }

    /// <summary>Parses the report as XML and asserts that every <c>href</c> and <c>src</c> names an existing file beside it; returns the links.</summary>
    internal static List<string> ReportLinksResolve(string report)
    {
        Assert.True(File.Exists(report), $"{report} was not written");
        var links = new List<string>();
        using var reader = XmlReader.Create(report, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            foreach (var name in new[] { "href", "src" })
            {
                if (reader.GetAttribute(name) is string link)
                {
                    links.Add(link);
                    Assert.False(Path.IsPathRooted(link) || link.Contains("://", StringComparison.Ordinal), $"{link} is not a relative link");
                    Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(report)!, link)), $"{report} links {link}, which does not exist");
                }
            }
        }

        return links;
    }
}
