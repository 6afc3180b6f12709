namespace ConstCl.Modeling;

/// <summary>
/// The stage of <see cref="ResNet3dY"/> whose output an embedding pools: the backbone runs the stem and the stages up to
/// this one, then stops. <see cref="Res5"/> (the branch's res5) is the official embedding and the default everywhere;
/// an earlier stage gives a narrower embedding (<see cref="ResNet3dYOptions.StageOutputChannels"/>) that the
/// pre-training objective has shaped less, which can keep appearance the last stage discards (docs/evaluation.md,
/// "Probing an earlier stage"). Below res5 the two branches share their layers, so the branch makes no difference.
/// The values are the stages' numbers.
/// </summary>
public enum BackboneStage
{
    /// <summary>res2: the first residual stage (<c>StageWidths[0] · Expansion</c> channels; 256 for Paper).</summary>
    Res2 = 2,

    /// <summary>res3 (<c>StageWidths[1] · Expansion</c>; 512 for Paper).</summary>
    Res3 = 3,

    /// <summary>res4, the last stage the branches share (<c>StageWidths[2] · Expansion</c>; 1024 for Paper).</summary>
    Res4 = 4,

    /// <summary>res5 or res5_local, the branch's last stage (<see cref="ResNet3dYOptions.OutputChannels"/>; 2048 for Paper). The default.</summary>
    Res5 = 5,
}
