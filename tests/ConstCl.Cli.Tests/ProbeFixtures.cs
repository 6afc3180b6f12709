using System.Globalization;
using ConstCl.Datasets;

namespace ConstCl.Cli.Tests;

/// <summary>
/// Tiny datasets laid out exactly as UCF101 and HMDB51 are distributed, with synthetic motion videos (16 frames of 32²,
/// MJPG AVI) as their content.
/// </summary>
internal static class ProbeFixtures
{
    /// <summary>UCF101-style class names (CamelCase, as in classInd.txt).</summary>
    internal static readonly string[] UcfClasses = ["MoveDown", "MoveLeft", "MoveRight"];

    /// <summary>HMDB51-style class names (snake case).</summary>
    internal static readonly string[] HmdbClasses = ["move_down", "move_left", "move_right"];

    /// <summary>
    /// <c>root/UCF-101/&lt;Class&gt;/v_&lt;Class&gt;_gGG_cCC.avi</c> for groups 01, 08, 15, 22 and clips 01–02, and
    /// <c>root/ucfTrainTestlist/</c> with <c>classInd.txt</c>, <c>trainlist0N.txt</c> (<c>Class/file.avi N</c>) and
    /// <c>testlist0N.txt</c> (<c>Class/file.avi</c>), CRLF line ends as in the official archive. The official test groups
    /// are g01–g07 (split 1), g08–g14 (split 2), g15–g21 (split 3), so each split has 2 test and 6 training videos per class.
    /// </summary>
    /// <param name="root">Folder to create.</param>
    /// <param name="brokenTrainVideo">Also list, in every training list, a file that is not a video (it must be skipped, not fatal).</param>
    internal static string WriteUcf101(string root, bool brokenTrainVideo)
    {
        int[] groups = [1, 8, 15, 22];
        var synth = new SyntheticActions(new SyntheticActionsOptions { Classes = UcfClasses.Length, VideosPerClass = 8, Frames = 16, Size = 32, Seed = 21 });
        var files = new List<(string Relative, int Class, int Group)>();
        for (int c = 0; c < UcfClasses.Length; c++)
        {
            string name = UcfClasses[c];
            Directory.CreateDirectory(Path.Combine(root, "UCF-101", name));
            int v = 0;
            foreach (int g in groups)
            {
                for (int clip = 1; clip <= 2; clip++)
                {
                    string file = string.Create(CultureInfo.InvariantCulture, $"v_{name}_g{g:00}_c{clip:00}.avi");
                    var video = synth.Generate(c, v++);
                    VideoFileWriter.WriteMjpegAvi(Path.Combine(root, "UCF-101", name, file), video.Frames, 25);
                    files.Add(($"{name}/{file}", c, g));
                }
            }
        }

        string lists = Path.Combine(root, "ucfTrainTestlist");
        Directory.CreateDirectory(lists);
        File.WriteAllText(Path.Combine(lists, "classInd.txt"), string.Concat(UcfClasses.Select((n, i) => string.Create(CultureInfo.InvariantCulture, $"{i + 1} {n}\r\n"))));
        if (brokenTrainVideo)
        {
            File.WriteAllText(Path.Combine(root, "UCF-101", UcfClasses[0], "v_MoveDown_g25_c01.avi"), "not a video");
        }

        for (int split = 1; split <= 3; split++)
        {
            int firstTest = 1 + ((split - 1) * 7);
            bool IsTest(int g) => g >= firstTest && g < firstTest + 7;
            var train = files.Where(f => !IsTest(f.Group)).Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Relative} {f.Class + 1}\r\n")).ToList();
            if (brokenTrainVideo)
            {
                train.Add($"{UcfClasses[0]}/v_MoveDown_g25_c01.avi 1\r\n");
            }

            File.WriteAllText(Path.Combine(lists, $"trainlist0{split}.txt"), string.Concat(train));
            File.WriteAllText(Path.Combine(lists, $"testlist0{split}.txt"), string.Concat(files.Where(f => IsTest(f.Group)).Select(f => f.Relative + "\r\n")));
        }

        return root;
    }

    /// <summary>
    /// <c>root/&lt;class&gt;/&lt;class&gt;_N.avi</c> (6 videos per class) and <c>root/testTrainMulti_7030_splits/&lt;class&gt;_test_split{1,2,3}.txt</c>
    /// with lines <c>file.avi 1|2|0</c> (1 = train, 2 = test, 0 = unused): per split and class, 3 train, 2 test, 1 unused, rotated by split.
    /// </summary>
    internal static string WriteHmdb51(string root)
    {
        var synth = new SyntheticActions(new SyntheticActionsOptions { Classes = HmdbClasses.Length, VideosPerClass = 6, Frames = 16, Size = 32, Seed = 22 });
        string splits = Path.Combine(root, "testTrainMulti_7030_splits");
        Directory.CreateDirectory(splits);
        for (int c = 0; c < HmdbClasses.Length; c++)
        {
            string name = HmdbClasses[c];
            Directory.CreateDirectory(Path.Combine(root, name));
            for (int v = 0; v < 6; v++)
            {
                VideoFileWriter.WriteMjpegAvi(Path.Combine(root, name, $"{name}_{v}.avi"), synth.Generate(c, v).Frames, 25);
            }

            for (int split = 1; split <= 3; split++)
            {
                // Marker of video v in this split: positions (v − split + 1) mod 6 → 1,1,1,2,2,0.
                int[] markers = [1, 1, 1, 2, 2, 0];
                File.WriteAllText(
                    Path.Combine(splits, $"{name}_test_split{split}.txt"),
                    string.Concat(Enumerable.Range(0, 6).Select(v => $"{name}_{v}.avi {markers[((v - split + 1) % 6 + 6) % 6]} \r\n")));
            }
        }

        return root;
    }
}
