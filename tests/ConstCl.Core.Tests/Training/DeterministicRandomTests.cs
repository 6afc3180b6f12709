using System.Buffers.Binary;
using ConstCl.Training;

namespace ConstCl.Core.Tests.Training;

public class DeterministicRandomTests
{
    [Fact]
    public void MatchesTheXoshiro256StarStarReference()
    {
        // Reference implementation (Blackman & Vigna, xoshiro256starstar.c) from state {1, 2, 3, 4}:
        // result = rotl(s1·5, 7)·9 = 11 520, then 0 (s1 becomes 0 after the first update).
        var state = new byte[32];
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(8 * i), (ulong)(i + 1));
        }

        var random = new DeterministicRandom(0);
        random.SetState(state);
        Assert.Equal(11520UL, random.NextUInt64());
        Assert.Equal(0UL, random.NextUInt64());
    }

    [Fact]
    public void RestoredStateRepeatsEveryKindOfDraw()
    {
        var random = new DeterministicRandom(12345);
        for (var i = 0; i < 10; i++)
        {
            random.NextDouble();
        }

        var saved = random.GetState();
        var expected = Draw(random);
        var other = new DeterministicRandom(999);
        other.SetState(saved);
        Assert.Equal(expected, Draw(other));
    }

    [Fact]
    public void BoundedDrawsStayInRangeAndSameSeedSameSequence()
    {
        var a = new DeterministicRandom(7);
        var b = new DeterministicRandom(7);
        for (var i = 0; i < 1000; i++)
        {
            var x = a.Next(3, 10);
            Assert.InRange(x, 3, 9);
            Assert.Equal(x, b.Next(3, 10));
            var d = a.NextDouble();
            Assert.InRange(d, 0.0, 1.0 - 1e-17);
            Assert.Equal(d, b.NextDouble());
        }

        Assert.Equal(0, a.Next(0));
        Assert.Throws<ArgumentException>(() => a.SetState(new byte[32]));
        Assert.Throws<ArgumentException>(() => a.SetState(new byte[5]));
    }

    private static object[] Draw(Random r)
    {
        var bytes = new byte[11];
        r.NextBytes(bytes);
        return [r.Next(), r.Next(17), r.Next(-5, 5), r.NextInt64(), r.NextInt64(1L << 40), r.NextDouble(), r.NextSingle(), Convert.ToHexString(bytes)];
    }
}
