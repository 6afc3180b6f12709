using ConstCl.Regions;
using System.Text.Json;

namespace ConstCl.Core.Tests.Regions;

/// <summary>Reads TestData/regions (made by make_region_golden.py with scikit-image 0.19.3).</summary>
internal static class RegionGolden
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "TestData", "regions");

    private static readonly Lazy<JsonDocument> Json = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "golden.json"))));

    public static int Width => Json.Value.RootElement.GetProperty("width").GetInt32();

    public static int Height => Json.Value.RootElement.GetProperty("height").GetInt32();

    public static byte[] Image(string name) => File.ReadAllBytes(Path.Combine(Folder, name + ".rgb"));

    public static JsonElement Params(string method) => Json.Value.RootElement.GetProperty("params").GetProperty(method);

    public static int SegmentCount(string image, string method) =>
        Json.Value.RootElement.GetProperty("images").GetProperty(image).GetProperty(method).GetProperty("segments").GetInt32();

    public static List<(RegionBox Box, int Pixels)> Boxes(string image, string method)
    {
        var result = new List<(RegionBox, int)>();
        foreach (JsonElement e in Json.Value.RootElement.GetProperty("images").GetProperty(image).GetProperty(method).GetProperty("boxes").EnumerateArray())
        {
            float[] b = e.GetProperty("box").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            result.Add((new RegionBox(b[0], b[1], b[2], b[3]), e.GetProperty("pixels").GetInt32()));
        }

        return result;
    }

    public static int[] Labels(string image, string method)
    {
        byte[] raw = File.ReadAllBytes(Path.Combine(Folder, $"{image}.{method}.labels.u16"));
        var labels = new int[raw.Length / 2];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = raw[2 * i] | (raw[2 * i + 1] << 8);
        }

        return labels;
    }

    /// <summary>
    /// Fraction of pixels whose label in <paramref name="ours"/> maps, by majority overlap, to their label in
    /// <paramref name="reference"/> (1 for identical partitions whatever the label ids).
    /// </summary>
    public static double Agreement(int[] ours, int[] reference)
    {
        var overlap = new Dictionary<(int, int), int>();
        for (int i = 0; i < ours.Length; i++)
        {
            overlap[(ours[i], reference[i])] = overlap.GetValueOrDefault((ours[i], reference[i])) + 1;
        }

        var best = overlap.GroupBy(kv => kv.Key.Item1).ToDictionary(g => g.Key, g => g.Max(kv => kv.Value));
        return best.Values.Sum() / (double)ours.Length;
    }

    /// <summary>Mean over <paramref name="ours"/> of the best IoU with any box of <paramref name="reference"/>.</summary>
    public static double MeanBestIoU(IReadOnlyList<RegionBox> ours, IReadOnlyList<RegionBox> reference) =>
        ours.Average(b => reference.Max(r => (double)b.IoU(r)));
}
