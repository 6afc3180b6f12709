using ConstCl.Training;

namespace ConstCl.Core.Tests.Training;

public class LearningRateScheduleTests
{
    // Spec §4.2 test values [calc] for peak 40.96, warm-up 2 500, cosine over the global step.
    [Theory]
    [InlineData(200_000, 1_250, 20.472105)]
    [InlineData(200_000, 2_500, 40.944211)]
    [InlineData(200_000, 50_000, 34.961547)]
    [InlineData(200_000, 100_000, 20.48)]
    [InlineData(100_000, 1_250, 20.448433)]
    [InlineData(100_000, 2_500, 40.896867)]
    [InlineData(100_000, 50_000, 20.48)]
    public void MatchesSpecTable(int decaySteps, int step, double expected)
    {
        var schedule = new LearningRateSchedule(40.96, 2500, decaySteps);
        Assert.True(Math.Abs(schedule.At(step) - expected) <= 1e-5 * expected, $"lr({step}) = {schedule.At(step)}, expected {expected}");
    }

    [Fact]
    public void ReachesZeroAtDecayStepsAndStaysThere()
    {
        var schedule = new LearningRateSchedule(40.96, 2500, 100_000);
        // Spec §4.2: step 100 000 with D = 100k gives 0 (cos π = −1).
        Assert.True(Math.Abs(schedule.At(100_000)) < 1e-12);
        Assert.True(Math.Abs(schedule.At(150_000)) < 1e-12);
        Assert.Equal(0.0, schedule.At(0));
    }

    [Fact]
    public void WarmupIsLinearUpToTheCosineValueAtItsEnd()
    {
        var schedule = new LearningRateSchedule(1.0, 10, 100);
        var end = 0.5 * (1 + Math.Cos(Math.PI * 10 / 100));
        for (var s = 0; s < 10; s++)
        {
            Assert.Equal(s / 10.0 * end, schedule.At(s), 12);
        }

        Assert.Equal(end, schedule.At(10), 12);
    }

    [Fact]
    public void FromOptionsUsesThePeakAfterLinearScaling()
    {
        var options = PretrainingOptions.Paper with { BatchSize = 256 };
        var schedule = LearningRateSchedule.From(options);
        Assert.Equal(40.96 * 256 / 1024, schedule.PeakLearningRate, 12);
        Assert.Equal(2500, schedule.WarmupSteps);
        Assert.Equal(200_000, schedule.DecaySteps);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(1, 200, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(double.NaN, 0, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(1, 0, 100).At(-1));
    }
}
