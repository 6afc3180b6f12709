using ConstCl.Modeling;
using ConstCl.Runtime;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Modeling;

public class ContextMemoryTests
{
    public ContextMemoryTests() => TorchRuntime.Initialize(2);

    // Spec §3.5 with T′ = 8, key 4: idx_k = (k − L/2)·(T′/L) + key.
    [Theory]
    [InlineData(1, new long[] { 4 })]
    [InlineData(3, new long[] { 2, 4, 6 })]
    [InlineData(5, new long[] { 2, 3, 4, 5, 6 })]
    [InlineData(7, new long[] { 1, 2, 3, 4, 5, 6, 7 })]
    [InlineData(9, new long[] { 4, 4, 4, 4, 4, 4, 4, 4, 4 })]   // stride 0: the key slice repeated
    public void TemporalIndicesFollowTheOfficialFormula(int length, long[] expected)
    {
        Assert.Equal(expected, ContextMemory.TemporalIndices(8, length, 4));
    }

    [Fact]
    public void OffCentreKeysAreClampedAndEvenLengthsRejected()
    {
        Assert.Equal(new long[] { 5, 6, 7, 7, 7 }, ContextMemory.TemporalIndices(8, 5, 7));
        Assert.Equal(new long[] { 0, 0, 0, 1, 2 }, ContextMemory.TemporalIndices(8, 5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ContextMemory.TemporalIndices(8, 4, 4));
    }

    [Fact]
    public void GatherFlattensTimeRowsColumnsPerClipAroundItsOwnKey()
    {
        // f[b, c, t, y, x] = 1000 b + 100 t + 10 y + x + 0.5 c: every token says where it came from.
        const int B = 2, C = 2, T = 8, H = 2, W = 3;
        var values = new float[B * C * T * H * W];
        for (var b = 0; b < B; b++)
            for (var c = 0; c < C; c++)
                for (var t = 0; t < T; t++)
                    for (var y = 0; y < H; y++)
                        for (var x = 0; x < W; x++)
                            values[(((b * C + c) * T + t) * H + y) * W + x] = 1000 * b + 100 * t + 10 * y + x + 0.5f * c;

        using var features = tensor(values).view(B, C, T, H, W);
        using var memory = ContextMemory.Gather(features, [4, 6], 3);
        Assert.Equal(new long[] { B, 3 * H * W, C }, memory.shape);
        var m = memory.data<float>().ToArray();
        long[][] slices = [[2, 4, 6], [4, 6, 7]];   // key 6 with stride 2: [4, 6, 8] → clamped [4, 6, 7]
        for (var b = 0; b < B; b++)
            for (var k = 0; k < 3; k++)
                for (var y = 0; y < H; y++)
                    for (var x = 0; x < W; x++)
                        for (var c = 0; c < C; c++)
                        {
                            var token = (k * H + y) * W + x;
                            Assert.Equal(1000 * b + 100 * slices[b][k] + 10 * y + x + 0.5f * c, m[(b * 3 * H * W + token) * C + c]);
                        }
    }
}
