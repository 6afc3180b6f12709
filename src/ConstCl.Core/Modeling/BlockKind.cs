namespace ConstCl.Modeling;

/// <summary>The residual block the backbone stages are built from.</summary>
public enum BlockKind
{
    /// <summary>
    /// ResNet-50 bottleneck <c>kt×1×1 → 1×3×3 → 1×1×1 (×Expansion)</c> (<see cref="Bottleneck3d"/>): the official CVRL R3D-50.
    /// </summary>
    Bottleneck,

    /// <summary>
    /// R3D-18-style basic block <c>kt×3×3 → kt×3×3</c> with no channel expansion (<see cref="BasicBlock3d"/>): shallow and
    /// wide for its cost, the block of the CPU-sized <see cref="ConstClModelOptions.Small"/> preset. Not in the paper.
    /// </summary>
    Basic,
}
