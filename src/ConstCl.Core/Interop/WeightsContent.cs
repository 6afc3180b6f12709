namespace ConstCl.Interop;

/// <summary>What a weights file holds (see <see cref="WeightsExchange"/>).</summary>
public enum WeightsContent
{
    /// <summary>The backbone only (<c>backbone.*</c>): stem, res2…res5 and res5_local with BatchNorm statistics.</summary>
    Encoder,

    /// <summary>Every module: backbone, global head and local head.</summary>
    Model,
}
