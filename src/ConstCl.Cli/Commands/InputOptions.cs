using System.CommandLine;
using ConstCl.Modeling;

namespace ConstCl.Cli.Commands;

/// <summary>
/// What the network is fed, as <c>pretrain</c> and <c>probe --random-init</c> override it: <c>--input rgb|difference</c> and
/// <c>--dead-zone LEVELS</c> (<see cref="ResNet3dYOptions.FrameDifferenceDeadZone"/> in levels of 255), declared once so
/// both commands accept and apply them alike.
/// </summary>
internal sealed class InputOptions
{
    public InputOptions(string inputDescription)
    {
        Input = new Option<string?>("--input") { Description = inputDescription }.OneOf("rgb", "difference");
    }

    public Option<string?> Input { get; }

    public Option<int?> DeadZone { get; } = new Option<int?>("--dead-zone")
    {
        Description = "With difference input: frame differences within ±LEVELS (of 255) become 0 and larger ones shrink by LEVELS, "
            + "which removes the noise lossy codecs add to still pixels (default: the preset's; 0 = off). See docs/training.md, \"Compressed sources\".",
    }.Within(0, 254);

    /// <summary>
    /// <paramref name="backbone"/> with the given overrides; a null argument keeps its value. RGB input drops a preset's
    /// dead zone (it applies to differences only); asking for RGB and a dead zone together is an error.
    /// </summary>
    /// <exception cref="ArgumentException">A dead zone above 0 with RGB input.</exception>
    public static ResNet3dYOptions Apply(ResNet3dYOptions backbone, string? input, int? deadZoneLevels)
    {
        if (input is not null)
        {
            var mode = input == "difference" ? InputMode.FrameDifference : InputMode.Rgb;
            backbone = backbone with { InputMode = mode, FrameDifferenceDeadZone = mode == InputMode.Rgb ? 0 : backbone.FrameDifferenceDeadZone };
        }

        if (deadZoneLevels is int levels)
        {
            if (levels > 0 && backbone.InputMode != InputMode.FrameDifference)
            {
                throw new ArgumentException($"--dead-zone {levels} applies to frame differences only; the input is {backbone.InputMode} (use --input difference).");
            }

            backbone = backbone with { FrameDifferenceDeadZone = levels / LevelsPerInputUnit };
        }

        return backbone;
    }

    /// <summary>A dead zone in input units as levels of 255, as <c>--dead-zone</c> takes it.</summary>
    public static double Levels(double deadZone) => deadZone * LevelsPerInputUnit;

    // Levels of 255 per input unit at the −1..1 range the presets feed.
    private const double LevelsPerInputUnit = 255 / 2.0;
}
