// Serving a ConST-CL video encoder with ONNX Runtime and OpenCV only (no TorchSharp, no libtorch).
//
//   constcl export-onnx --model encoder.constcl --out encoder.onnx --no-l2-normalize   (Clips layout: [N,3,T,H,W] → [N,D] pooled)
//   dotnet run --project examples/OnnxServing -- encoder.onnx video.avi [--clips K] [--frames T] [--stride s] [--size S]
//
// The preparation mirrors ConstCl.Embedding.EvaluationClips with one (centre) crop: K linearly spaced clips of T frames at
// stride s (offsets int(linspace(0, max(0, L − T·s), K)), indices wrapping past the end), RGB, short side resized to S with
// bilinear interpolation (half-pixel centres), the centre S×S crop, values 2·x/255 − 1. The video embedding is the mean of the
// K clip features, L2-normalised. T and S default to the model's pre-training clip size (ONNX metadata written by ConstCl).
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace OnnxServing;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: OnnxServing ENCODER.onnx VIDEO [--clips K] [--frames T] [--stride s] [--size S]");
            return 2;
        }

        string modelPath = args[0], videoPath = args[1];
        var options = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 2; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
        }

        using var session = new InferenceSession(modelPath);
        var meta = session.ModelMetadata.CustomMetadataMap;
        int Meta(string key, int fallback) => meta.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        int clips = options.GetValueOrDefault("--clips", 10);
        int frames = options.GetValueOrDefault("--frames", Meta("constcl.input_frames", 16));
        int stride = options.GetValueOrDefault("--stride", 2);
        int size = options.GetValueOrDefault("--size", Meta("constcl.input_size", 224));

        int length = CountFrames(videoPath);
        int[][] indices = SampleClips(length, clips, frames, stride);
        var needed = indices.SelectMany(c => c).ToHashSet();
        Dictionary<int, float[]> prepared = DecodeAndPrepare(videoPath, needed, size);   // frame index → [3, S, S] planar

        float[]? sum = null;
        using var runOptions = new RunOptions();
        foreach (var clip in indices)
        {
            // [1, 3, T, S, S]: channel-major, then time.
            var input = new float[3 * frames * size * size];
            int plane = size * size;
            for (int t = 0; t < frames; t++)
            {
                var frame = prepared[clip[t]];
                for (int c = 0; c < 3; c++)
                {
                    Array.Copy(frame, c * plane, input, ((c * frames) + t) * plane, plane);
                }
            }

            using var value = OrtValue.CreateTensorValueFromMemory(input, new long[] { 1, 3, frames, size, size });
            using var outputs = session.Run(runOptions, new Dictionary<string, OrtValue> { [session.InputNames[0]] = value }, session.OutputNames);
            var embedding = outputs[0].GetTensorDataAsSpan<float>();
            sum ??= new float[embedding.Length];
            for (int d = 0; d < sum.Length; d++)
            {
                sum[d] += embedding[d];
            }
        }

        // ConstCl's VideoEmbedder averages the RAW pooled clip features, then normalises. A model exported with
        // `constcl export-onnx --no-l2-normalize` returns raw features, so this reproduces it exactly; with the default export
        // each clip's output is already unit-norm and this averages unit vectors (a close, common serving approximation).
        if (meta.TryGetValue("constcl.l2_normalized", out var l2) && l2 == "true")
        {
            Console.Error.WriteLine("note: the model normalises each clip; export with --no-l2-normalize to match VideoEmbedder exactly.");
        }

        double norm = Math.Sqrt(sum!.Sum(v => (double)v * v));
        var result = sum!.Select(v => (float)(v / Math.Max(norm, 1e-12))).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{videoPath}: {length} frames, {clips} clips of {frames}x{size}x{size}, embedding of {result.Length} values"));
        Console.WriteLine(string.Join(' ', result.Select(v => v.ToString("F6", CultureInfo.InvariantCulture))));
        return 0;
    }

    /// <summary>Frames that really decode (the header count can be wrong).</summary>
    private static int CountFrames(string path)
    {
        using var capture = new VideoCapture(path);
        if (!capture.IsOpened())
        {
            throw new InvalidOperationException($"'{path}' cannot be opened as a video.");
        }

        int n = 0;
        while (capture.Grab())
        {
            n++;
        }

        return n > 0 ? n : throw new InvalidOperationException($"'{path}' has no decodable frame.");
    }

    /// <summary>ConstCl.Sampling.UniformClipSampler: K linearly spaced clips (K = 1: the middle one), indices wrapping modulo the length.</summary>
    private static int[][] SampleClips(int length, int clips, int frames, int stride)
    {
        int maxOffset = Math.Max(0, length - (frames * stride));
        var offsets = new int[clips];
        if (clips == 1)
        {
            offsets[0] = maxOffset / 2;
        }
        else
        {
            float step = (float)maxOffset / (clips - 1);
            for (int i = 0; i < clips - 1; i++)
            {
                offsets[i] = (int)(step * i);
            }

            offsets[clips - 1] = maxOffset;
        }

        return offsets.Select(o => Enumerable.Range(0, frames).Select(t => (int)(((long)o + ((long)t * stride)) % length)).ToArray()).ToArray();
    }

    /// <summary>Decodes the needed frames: RGB, float, short side → S (bilinear), centre S×S crop, 2·x/255 − 1, planar [3, S, S].</summary>
    private static Dictionary<int, float[]> DecodeAndPrepare(string path, HashSet<int> needed, int size)
    {
        var result = new Dictionary<int, float[]>();
        using var capture = new VideoCapture(path);
        using var bgr = new Mat();
        using var rgb = new Mat();
        using var real = new Mat();
        using var resized = new Mat();
        for (int index = 0; result.Count < needed.Count && capture.Read(bgr) && !bgr.Empty(); index++)
        {
            if (!needed.Contains(index))
            {
                continue;
            }

            Cv2.CvtColor(bgr, rgb, ColorConversionCodes.BGR2RGB);
            rgb.ConvertTo(real, MatType.CV_32FC3);
            int w = real.Width, h = real.Height;
            int rw = w <= h ? size : Math.Max(size, (int)Math.Round((double)w * size / h, MidpointRounding.AwayFromZero));
            int rh = w <= h ? Math.Max(size, (int)Math.Round((double)h * size / w, MidpointRounding.AwayFromZero)) : size;
            Cv2.Resize(real, resized, new Size(rw, rh), 0, 0, InterpolationFlags.Linear);
            int x0 = (rw - size) / 2, y0 = (rh - size) / 2;
            var planar = new float[3 * size * size];
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    var p = resized.At<Vec3f>(y0 + y, x0 + x);
                    for (int c = 0; c < 3; c++)
                    {
                        planar[(c * size * size) + (y * size) + x] = (p[c] * (2f / 255f)) - 1f;
                    }
                }
            }

            result[index] = planar;
        }

        return needed.All(result.ContainsKey) ? result : throw new InvalidOperationException($"'{path}': some sampled frames did not decode.");
    }
}
