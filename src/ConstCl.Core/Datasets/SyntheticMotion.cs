namespace ConstCl.Datasets;

/// <summary>
/// The motion that defines a synthetic action class. Image coordinates: x to the right, y down;
/// clockwise is as seen on screen. A horizontal flip swaps MoveLeft/MoveRight and each clockwise /
/// counter-clockwise pair, so augmentations must flip both views of a pair alike (or not at all).
/// </summary>
public enum SyntheticMotion
{
    /// <summary>Translates towards −x.</summary>
    MoveLeft,

    /// <summary>Translates towards +x.</summary>
    MoveRight,

    /// <summary>Translates towards −y (up on screen).</summary>
    MoveUp,

    /// <summary>Translates towards +y (down on screen).</summary>
    MoveDown,

    /// <summary>Spins in place, clockwise on screen.</summary>
    RotateClockwise,

    /// <summary>Spins in place, counter-clockwise on screen.</summary>
    RotateCounterClockwise,

    /// <summary>Scales up in place.</summary>
    Grow,

    /// <summary>Scales down in place.</summary>
    Shrink,

    /// <summary>Swings left and right (sinusoid, more than one cycle per clip).</summary>
    OscillateHorizontal,

    /// <summary>Swings up and down (sinusoid, more than one cycle per clip).</summary>
    OscillateVertical,

    /// <summary>Travels along a circle, clockwise on screen, keeping its orientation.</summary>
    OrbitClockwise,

    /// <summary>Travels along a circle, counter-clockwise on screen, keeping its orientation.</summary>
    OrbitCounterClockwise,
}
