namespace ConstCl.Modeling;

/// <summary>The one check of a <see cref="BackboneStage"/> argument, so every entry point refuses an undefined value alike.</summary>
internal static class BackboneStageCheck
{
    /// <summary>Returns <paramref name="stage"/>; throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="parameterName"/> when it is not res2..res5.</summary>
    internal static BackboneStage Defined(BackboneStage stage, string parameterName = "stage") =>
        Enum.IsDefined(stage) ? stage : throw new ArgumentOutOfRangeException(parameterName, stage, $"{parameterName} must be Res2, Res3, Res4 or Res5.");
}
