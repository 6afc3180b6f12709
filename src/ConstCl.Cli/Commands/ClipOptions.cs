using System.CommandLine;

namespace ConstCl.Cli.Commands;

/// <summary>
/// The evaluation-protocol options <c>embed</c> and <c>probe</c> share (<c>--clips</c>, <c>--crops</c>, <c>--frames</c>,
/// <c>--stride</c>, <c>--size</c>, <c>--resize</c>), declared once so that both commands accept, describe and bound them
/// alike; <see cref="Read"/> turns them into one <see cref="ClipRequest"/>.
/// </summary>
internal sealed class ClipOptions
{
    public Option<int> Clips { get; } = new Option<int>("--clips") { Description = "K, linearly spaced clips per video.", DefaultValueFactory = _ => 10 }.Within(1, OptionBounds.MaxClips);

    public Option<int> Crops { get; } = new Option<int>("--crops") { Description = "C, spatial crops per clip: 1 (centre) or 3 (start, centre, end of the long side).", DefaultValueFactory = _ => 3 }.OneOf("1", "3");

    public Option<int?> Frames { get; } = new Option<int?>("--frames") { Description = "T, frames per clip (default: the model's pre-training clip length)." }.Within(1, OptionBounds.MaxClipFrames);

    public Option<int> Stride { get; } = new Option<int>("--stride") { Description = "s, temporal stride.", DefaultValueFactory = _ => 2 }.Within(1, OptionBounds.MaxStride);

    public Option<int?> Size { get; } = new Option<int?>("--size") { Description = "S: short side resized to S, S×S crops (default: the model's pre-training size)." }.Within(1, OptionBounds.MaxClipSize);

    public Option<string> Resize { get; } = SharedOptions.Resize();

    /// <summary>The values given (or defaulted) on the command line.</summary>
    public ClipRequest Read(ParseResult parse) => new(
        parse.GetValue(Clips), parse.GetValue(Crops), parse.GetValue(Frames), parse.GetValue(Stride), parse.GetValue(Size), SharedOptions.ParseResize(parse.GetValue(Resize)!));
}
