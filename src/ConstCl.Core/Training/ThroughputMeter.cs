using System.Diagnostics;

namespace ConstCl.Training;

/// <summary>
/// Measures clips per second, the share of time spent waiting for data, and the time to finish, over the interval
/// since the previous <see cref="Report"/>. The loop calls <see cref="DataReady"/> when a batch arrives and
/// <see cref="StepDone"/> after the update.
/// </summary>
internal sealed class ThroughputMeter
{
    private readonly Func<long> _timestamp;
    private readonly double _ticksPerSecond;
    private long _intervalStart;
    private long _stepStart;
    private long _waitTicks;
    private long _clips;
    private int _steps;

    public ThroughputMeter()
        : this(Stopwatch.GetTimestamp, Stopwatch.Frequency)
    {
    }

    internal ThroughputMeter(Func<long> timestamp, double ticksPerSecond)
    {
        _timestamp = timestamp;
        _ticksPerSecond = ticksPerSecond;
        _intervalStart = _stepStart = timestamp();
    }

    /// <summary>A batch has arrived: the time since the previous step ended was spent waiting for data.</summary>
    public void DataReady() => _waitTicks += _timestamp() - _stepStart;

    /// <summary>A step finished after processing <paramref name="clips"/> clips.</summary>
    public void StepDone(int clips)
    {
        _clips += clips;
        _steps++;
        _stepStart = _timestamp();
    }

    /// <summary>Rates over the interval since the previous report, then starts a new interval.</summary>
    /// <param name="remainingSteps">Steps left, for the time estimate.</param>
    public (double ClipsPerSecond, double DataWaitShare, TimeSpan? Eta) Report(int remainingSteps)
    {
        var now = _timestamp();
        var seconds = (now - _intervalStart) / _ticksPerSecond;
        (double, double, TimeSpan?) result = seconds <= 0 || _steps == 0
            ? (0, 0, null)
            : (_clips / seconds, Math.Clamp(_waitTicks / _ticksPerSecond / seconds, 0, 1), TimeSpan.FromSeconds(seconds / _steps * Math.Max(0, remainingSteps)));
        _intervalStart = _stepStart = now;
        _waitTicks = 0;
        _clips = 0;
        _steps = 0;
        return result;
    }
}
