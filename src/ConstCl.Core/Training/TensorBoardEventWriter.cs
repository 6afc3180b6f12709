using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ConstCl.Training;

/// <summary>
/// Writes TensorBoard event files: TFRecord framing (<c>length:uint64 | masked_crc32c(length) | data |
/// masked_crc32c(data)</c>) around hand-encoded <c>tensorflow.Event</c> protobuf messages (wall_time = 1,
/// step = 2, file_version = 3, summary = 5, session_log = 7; <c>Summary.Value</c> tag = 1, simple_value = 2).
/// TorchSharp's <c>SummaryWriter</c> is not used: in 0.107.0 its default wall time is 0 (otherwise .NET ticks
/// stored as a float, not Unix seconds) and it reopens the file for every scalar.
/// </summary>
internal sealed class TensorBoardEventWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly Func<DateTimeOffset> _clock;

    /// <summary>Creates a new event file in <paramref name="directory"/> and writes the file-version record.</summary>
    public TensorBoardEventWriter(string directory, Func<DateTimeOffset>? clock = null)
    {
        Directory.CreateDirectory(directory);
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
        var now = _clock();
        var name = string.Create(CultureInfo.InvariantCulture,
            $"events.out.tfevents.{now.ToUnixTimeSeconds():D10}.{SafeHost()}.{Environment.ProcessId}.{Guid.NewGuid():N}");
        FilePath = Path.Combine(directory, name);
        _stream = new FileStream(FilePath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        var message = new ProtoWriter();
        message.Double(1, WallTime(now));
        message.String(3, "brain.Event:2");
        WriteRecord(message.ToArray());
    }

    /// <summary>The event file written.</summary>
    public string FilePath { get; }

    /// <summary>Writes one Event holding a Summary with one simple_value per scalar.</summary>
    public void WriteScalars(long step, IEnumerable<KeyValuePair<string, double>> scalars)
    {
        var summary = new ProtoWriter();
        foreach (var (tag, value) in scalars)
        {
            var item = new ProtoWriter();
            item.String(1, tag);
            item.Float(2, (float)value);
            summary.Message(1, item.ToArray());
        }

        var message = new ProtoWriter();
        message.Double(1, WallTime(_clock()));
        message.Int64(2, step);
        message.Message(5, summary.ToArray());
        WriteRecord(message.ToArray());
    }

    /// <summary>
    /// Writes a <c>SessionLog</c> START at <paramref name="step"/>: TensorBoard then discards data of earlier
    /// attempts at steps &gt;= <paramref name="step"/> (what a resumed run re-logs).
    /// </summary>
    public void WriteSessionStart(long step)
    {
        var log = new ProtoWriter();
        log.Int64(1, 1); // SessionLog.SessionStatus.START
        var message = new ProtoWriter();
        message.Double(1, WallTime(_clock()));
        message.Int64(2, step);
        message.Message(7, log.ToArray());
        WriteRecord(message.ToArray());
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _stream.Dispose();

    private void WriteRecord(byte[] data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));
        _stream.Write(header);
        _stream.Write(data);
        _stream.Write(footer);
        _stream.Flush();
    }

    private static double WallTime(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    private static string SafeHost()
    {
        var host = Environment.MachineName;
        return string.Concat(host.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-')) is { Length: > 0 } h ? h : "host";
    }

    // The few protobuf wire types the Event message needs.
    private sealed class ProtoWriter
    {
        private readonly MemoryStream _buffer = new();

        public void Double(int field, double value)
        {
            Tag(field, 1);
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(b, value);
            _buffer.Write(b);
        }

        public void Float(int field, float value)
        {
            Tag(field, 5);
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(b, value);
            _buffer.Write(b);
        }

        public void Int64(int field, long value)
        {
            Tag(field, 0);
            Varint(unchecked((ulong)value));
        }

        public void String(int field, string value) => Message(field, Encoding.UTF8.GetBytes(value));

        public void Message(int field, byte[] bytes)
        {
            Tag(field, 2);
            Varint((ulong)bytes.Length);
            _buffer.Write(bytes);
        }

        public byte[] ToArray() => _buffer.ToArray();

        private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                _buffer.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            _buffer.WriteByte((byte)value);
        }
    }
}
