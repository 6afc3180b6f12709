using ConstCl.Datasets;
using ConstCl.Embedding;

namespace ConstCl.Core.Tests.Embedding;

/// <summary>
/// The resumable job <c>constcl embed</c> runs: rows equal the embedder's, a stopped run resumes without embedding a
/// video twice, labels follow the current list, failures are kept apart and retried, foreign parts are refused.
/// </summary>
public sealed class EmbeddingJobTests : IDisposable
{
    private static readonly EvaluationClipSpec Spec = new() { ClipCount = 2, CropCount = 1, FramesPerClip = 4, FrameStride = 1, Size = 32 };
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "constcl-job-" + Guid.NewGuid().ToString("N"));
    private readonly VideoEntry[] _videos;

    public EmbeddingJobTests()
    {
        var files = new SyntheticActions(new SyntheticActionsOptions { Classes = 2, VideosPerClass = 3, Frames = 6, Size = 32, Seed = 3 }).WriteFiles(Path.Combine(_dir, "videos"));
        _videos = Directory.GetFiles(files.Directory, "*.avi", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select((p, i) => new VideoEntry(p, i % 2 == 0 ? "even" : "odd")).ToArray();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_stopped_job_resumes_and_assembles_the_embedders_rows_in_list_order()
    {
        using var model = EmbeddingTestModels.Tiny(seed: 6);
        using var encoder = VideoEncoder.FromModel(model);
        var options = new EmbeddingOptions { Clips = Spec, BatchSize = 3 };
        var parts = Path.Combine(_dir, "out.parts");
        var missing = new VideoEntry(Path.Combine(_dir, "missing.avi"), "odd");
        VideoEntry[] list = [.. _videos, missing];

        // First run: stopped after the first part of 2 rows.
        using var stop = new CancellationTokenSource();
        var first = EmbeddingJob.Open(encoder, list, parts, options, partRows: 2);
        Assert.Equal((0, list.Length), (first.AlreadyEmbedded, first.ToEmbed.Count));
        Assert.Equal(Spec.ToSpecString(), first.ClipSpec);
        var stopped = first.Run(cancellationToken: stop.Token, partWritten: part => { if (part == 0) { stop.Cancel(); } });
        Assert.True(stopped.Cancelled);
        Assert.Empty(stopped.Rows);
        Assert.InRange(stopped.Embedded, 2, list.Length - 1);

        // Second run: only the rest is embedded; a relabelled list labels the result; the missing video is a failure.
        VideoEntry[] relabelled = [.. list.Select(e => e == list[0] ? e with { Label = "renamed" } : e)];
        var second = EmbeddingJob.Open(encoder, relabelled, parts, options, partRows: 2);
        Assert.Equal(stopped.Embedded, second.AlreadyEmbedded);
        var result = second.Run();
        Assert.False(result.Cancelled);
        Assert.Equal(list.Length - stopped.Embedded, result.Embedded);
        Assert.Equal(_videos.Select(v => v.Path), result.Rows.Select(r => r.Path));
        Assert.Equal("renamed", result.Rows[0].Label);
        var failure = Assert.Single(result.Failures);
        Assert.Equal(missing.Path, failure.Path);
        Assert.NotNull(failure.Error);
        Assert.Equal(list.Length, EmbeddingJob.ReadParts(parts).Count);              // every video written once over both runs

        var expected = new VideoEmbedder(encoder, options).EmbedMany(_videos.Select(v => v.Path).ToList());
        for (int i = 0; i < _videos.Length; i++)
        {
            Assert.True(EmbeddingTestModels.MaxAbsDiff(expected[i].Vector!, result.Rows[i].Embedding) <= 1e-6);
            Assert.Equal(expected[i].ClipFrameIndices!.SelectMany(c => c), result.Rows[i].ClipFrameIndices);
            Assert.Equal((Spec.FramesPerClip, Spec.ToSpecString(), encoder.Hash), (result.Rows[i].FramesPerClip, result.Rows[i].ClipSpec, result.Rows[i].EncoderHash));
        }

        // A third run has nothing to do but retry the failure.
        var third = EmbeddingJob.Open(encoder, list, parts, options, partRows: 2);
        Assert.Equal([missing], third.ToEmbed);
    }

    [Fact]
    public void Parts_of_another_protocol_or_encoder_are_refused()
    {
        using var model = EmbeddingTestModels.Tiny(seed: 6);
        using var encoder = VideoEncoder.FromModel(model);
        var parts = Path.Combine(_dir, "refuse.parts");
        EmbeddingJob.Open(encoder, _videos.Take(1).ToArray(), parts, new EmbeddingOptions { Clips = Spec }).Run();

        var protocol = Assert.Throws<InvalidDataException>(() => EmbeddingJob.Open(encoder, _videos, parts, new EmbeddingOptions { Clips = Spec with { ClipCount = 3 } }));
        Assert.Contains("another protocol", protocol.Message, StringComparison.Ordinal);

        using var other = EmbeddingTestModels.Tiny(seed: 7);
        using var otherEncoder = VideoEncoder.FromModel(other);
        var foreign = Assert.Throws<InvalidDataException>(() => EmbeddingJob.Open(otherEncoder, _videos, parts, new EmbeddingOptions { Clips = Spec }));
        Assert.Contains("another encoder", foreign.Message, StringComparison.Ordinal);
    }
}
