using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using ConstCl.Training;

namespace ConstCl.Core.Tests.Training;

public class MetricsLoggerTests
{
    [Fact]
    public void Crc32CMatchesTheStandardCheckValue()
    {
        // CRC-32C check value (RFC 3720 / Castagnoli): "123456789" → 0xE3069283.
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }

    [Fact]
    public void WritesJsonLinesAndTensorBoardEventsThatParse()
    {
        var dir = TrainingTestModels.TempDirectory();
        var clock = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        string eventFile;
        using (var logger = new MetricsLogger(dir, null, () => clock))
        {
            logger.Log(5, [new("loss/total", 1.25), new("learning_rate", 0.5)]);
            logger.Log(new PretrainingProgress(10, 200, 0.5, 2.0, 3.0, 0.001, 2.004, 0.1, 12.5, 0.25, TimeSpan.FromSeconds(30), 1));
            logger.Log(11, [new("loss/total", double.NaN)]);
            eventFile = logger.EventFilePath;
        }

        var lines = File.ReadAllLines(Path.Combine(dir, MetricsLogger.MetricsFileName));
        Assert.Equal(3, lines.Length);
        using (var first = JsonDocument.Parse(lines[0]))
        {
            Assert.Equal(5, first.RootElement.GetProperty("step").GetInt32());
            Assert.Equal(1_700_000_000.0, first.RootElement.GetProperty("wall_time").GetDouble());
            Assert.Equal(1.25, first.RootElement.GetProperty("loss/total").GetDouble());
        }

        using (var second = JsonDocument.Parse(lines[1]))
        {
            Assert.Equal(3.0, second.RootElement.GetProperty("loss/local").GetDouble());
            Assert.Equal(12.5, second.RootElement.GetProperty("throughput/clips_per_second").GetDouble());
        }

        Assert.Contains("\"loss/total\":\"NaN\"", lines[2]);

        // TFRecord framing with masked CRC-32C, each record a tensorflow.Event parsed by TorchSharp's own protobuf classes.
        var events = ReadRecords(eventFile).Select(Tensorboard.Event.Parser.ParseFrom).ToArray();
        Assert.Equal(4, events.Length);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal(1_700_000_000.0, events[0].WallTime);
        Assert.Equal(5, events[1].Step);
        Assert.Equal(new[] { "loss/total", "learning_rate" }, events[1].Summary.Value.Select(v => v.Tag));
        Assert.Equal(1.25f, events[1].Summary.Value[0].SimpleValue);
        Assert.Equal(10, events[2].Step);
        Assert.Equal(2.004f, events[2].Summary.Value.Single(v => v.Tag == "loss/total").SimpleValue);
    }

    [Fact]
    public void ResumeDropsLinesAfterTheResumeStepAndMarksASessionStart()
    {
        var dir = TrainingTestModels.TempDirectory();
        using (var logger = new MetricsLogger(dir))
        {
            for (var s = 1; s <= 8; s++)
            {
                logger.Log(s, [new("loss/total", s)]);
            }
        }

        // A crash can leave a cut-off last line.
        File.AppendAllText(Path.Combine(dir, MetricsLogger.MetricsFileName), "{\"step\":9,\"loss");

        string eventFile;
        using (var logger = new MetricsLogger(dir, resumeFromStep: 5))
        {
            logger.Log(6, [new("loss/total", 60)]);
            eventFile = logger.EventFilePath;
        }

        var steps = File.ReadAllLines(Path.Combine(dir, MetricsLogger.MetricsFileName))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()).ToArray();
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, steps);
        var events = ReadRecords(eventFile).Select(Tensorboard.Event.Parser.ParseFrom).ToArray();
        Assert.Equal(Tensorboard.SessionLog.Types.SessionStatus.Start, events[1].SessionLog.Status);
        Assert.Equal(6, events[1].Step);
    }

    [Fact]
    public void ThroughputMeterReportsRatesFromTheClock()
    {
        long now = 0;
        var meter = new ThroughputMeter(() => now, 1000); // 1 000 ticks per second
        for (var i = 0; i < 4; i++)
        {
            now += 100; // waiting for data
            meter.DataReady();
            now += 400; // compute
            meter.StepDone(clips: 8);
        }

        var (clipsPerSecond, waitShare, eta) = meter.Report(remainingSteps: 10);
        Assert.Equal(32 / 2.0, clipsPerSecond, 12);  // 32 clips in 2 s
        Assert.Equal(0.2, waitShare, 12);            // 0.4 s of 2 s
        Assert.Equal(TimeSpan.FromSeconds(5), eta);  // 0.5 s per step × 10
    }

    private static List<byte[]> ReadRecords(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var records = new List<byte[]>();
        var offset = 0;
        while (offset < bytes.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offset));
            Assert.Equal(Crc32C.Masked(bytes.AsSpan(offset, 8)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8)));
            var data = bytes.AsSpan(offset + 12, length).ToArray();
            Assert.Equal(Crc32C.Masked(data), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 12 + length)));
            records.Add(data);
            offset += 12 + length + 4;
        }

        return records;
    }
}
