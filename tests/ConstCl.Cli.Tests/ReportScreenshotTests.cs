using System.Diagnostics;
using SkiaSharp;

namespace ConstCl.Cli.Tests;

/// <summary>
/// A real browser renders <c>probe</c>'s <c>report.html</c> with its pictures: Debian's headless Chromium
/// (<c>chromium-headless-shell</c>, installed by <c>.ci/run</c>; <c>CONSTCL_BROWSER</c> names another) takes a screenshot
/// of the page, which must show the coloured confusion matrix and embedding map; the same page with its pictures
/// deleted must not (so the colour comes from the pictures, not from the page's own styling).
/// </summary>
public sealed class ReportScreenshotTests : IDisposable
{
    private const int Width = 1000;
    private const int Height = 1400;
    private readonly string _root = Directory.CreateTempSubdirectory("constcl-screenshot-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void The_probe_report_renders_its_pictures_in_a_browser()
    {
        string browser = FindBrowser();
        string hmdb = ProbeFixtures.WriteHmdb51(Path.Combine(_root, "hmdb"));
        string outDir = Path.Combine(_root, "probe");
        var (code, stdout, stderr) = CliRun.Invoke("probe", "--random-init", "--preset", "tiny", "--hmdb51", hmdb, "--split", "1", "--no-cache",
            "--out", outDir, "--clips", "1", "--crops", "1", "--size", "32", "--trainer-threads", "1", "--seed", "4");
        Assert.True(code == 0, stderr + stdout);
        string report = Path.Combine(outDir, "report.html");
        PictureAssert.ReportLinksResolve(report);

        int withPictures = ColouredPixels(Screenshot(browser, report, Path.Combine(_root, "with.png")));
        foreach (var picture in Directory.GetFiles(outDir, "*.png"))
        {
            File.Delete(picture);
        }

        int without = ColouredPixels(Screenshot(browser, report, Path.Combine(_root, "without.png")));
        Assert.True(withPictures > 5_000, $"the rendered report shows only {withPictures} coloured pixels: its pictures did not render");
        Assert.True(without * 10 < withPictures, $"without its pictures the page still shows {without} coloured pixels (with them {withPictures})");
    }

    /// <summary>The browser to use: <c>CONSTCL_BROWSER</c>, else the first of Debian's Chromium binaries on PATH.</summary>
    private static string FindBrowser()
    {
        if (Environment.GetEnvironmentVariable("CONSTCL_BROWSER") is { Length: > 0 } named)
        {
            return named;
        }

        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in new[] { "chromium-headless-shell", "chromium", "chromium-browser" })
        {
            if (directories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists) is string path)
            {
                return path;
            }
        }

        Assert.Fail("No headless browser found: install Debian's chromium-headless-shell (apt-get install chromium-headless-shell, as .ci/run does) or set CONSTCL_BROWSER.");
        return "";
    }

    /// <summary>Renders <paramref name="page"/> at <see cref="Width"/>×<see cref="Height"/> into <paramref name="png"/>.</summary>
    private static string Screenshot(string browser, string page, string png)
    {
        var start = new ProcessStartInfo(browser)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", $"--window-size={Width},{Height}", $"--screenshot={png}", new Uri(page).AbsoluteUri })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), $"{browser} did not finish within 60 s");
        Assert.True(process.ExitCode == 0 && File.Exists(png), $"{browser} exited with {process.ExitCode}: {error.Result}{output.Result}");
        Assert.Equal((Width, Height), PictureAssert.DecodesAsPng(png));
        return png;
    }

    /// <summary>Pixels whose colour channels differ by more than 60 in sum: the page's text and borders are grey.</summary>
    private static int ColouredPixels(string png)
    {
        using var bitmap = SKBitmap.Decode(png);
        int count = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (Math.Abs(c.Red - c.Green) + Math.Abs(c.Green - c.Blue) + Math.Abs(c.Blue - c.Red) > 60)
                {
                    count++;
                }
            }
        }

        return count;
    }
}
