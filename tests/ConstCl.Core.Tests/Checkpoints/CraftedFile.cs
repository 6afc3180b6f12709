using System.Text;
using ConstCl.Checkpoints;

namespace ConstCl.Core.Tests.Checkpoints;

/// <summary>
/// An encoder or checkpoint file taken apart into sections, and a tensor section into raw entries, so a test can craft
/// any header (dtype code, rank, dimensions, byte count, name) and write the file back with valid SHA-256s: the damage
/// then reaches the parsers instead of stopping at the checksum.
/// </summary>
internal sealed class CraftedFile
{
    private CraftedFile(byte[] magic, List<(string Name, byte[] Payload)> sections)
    {
        Magic = magic;
        Sections = sections;
    }

    public byte[] Magic { get; }

    /// <summary>The sections in file order; edit freely.</summary>
    public List<(string Name, byte[] Payload)> Sections { get; }

    public static CraftedFile Open(string path, byte[] magic)
    {
        using var stream = File.OpenRead(path);
        var (_, sections) = SectionContainer.Read(stream, path, magic, 1);
        return new CraftedFile(magic, sections.Select(kv => (kv.Key, kv.Value.Payload)).ToList());
    }

    public byte[] this[string section]
    {
        get => Sections.Single(s => s.Name == section).Payload;
        set => Sections[Sections.FindIndex(s => s.Name == section)] = (section, value);
    }

    public CraftedFile Clone() => new(Magic, Sections.Select(s => (s.Name, (byte[])s.Payload.Clone())).ToList());

    /// <summary>Writes the container with fresh checksums.</summary>
    public void Save(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite);
        SectionContainer.Write(stream, Magic, 1, Sections.Select(s => (s.Name, (Action<Stream>)(o => o.Write(s.Payload)))).ToList());
    }

    /// <summary>One tensor entry exactly as stored; every field may be set to anything.</summary>
    internal sealed class Entry
    {
        public byte[] Name = [];
        public int DType;
        public int Rank;
        public long[] Dims = [];
        public long ByteCount;
        public byte[] Bytes = [];

        public string NameText => Encoding.UTF8.GetString(Name);
    }

    /// <summary>Parses a well-formed tensor section (the test's own reader: it trusts its input).</summary>
    public static List<Entry> Entries(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var entries = new List<Entry>();
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var e = new Entry { Name = Encoding.UTF8.GetBytes(reader.ReadString()), DType = reader.ReadInt32(), Rank = reader.ReadInt32() };
            e.Dims = Enumerable.Range(0, e.Rank).Select(_ => reader.ReadInt64()).ToArray();
            e.ByteCount = reader.ReadInt64();
            e.Bytes = reader.ReadBytes((int)e.ByteCount);
            entries.Add(e);
        }

        return entries;
    }

    /// <summary>Writes entries as given (the rank field and the dims array are written independently).</summary>
    public static byte[] Payload(IReadOnlyList<Entry> entries, int? count = null)
    {
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer, Encoding.UTF8);
        writer.Write(count ?? entries.Count);
        foreach (var e in entries)
        {
            writer.Write7BitEncodedInt(e.Name.Length);
            writer.Write(e.Name);
            writer.Write(e.DType);
            writer.Write(e.Rank);
            foreach (var d in e.Dims)
            {
                writer.Write(d);
            }

            writer.Write(e.ByteCount);
            writer.Write(e.Bytes);
        }

        writer.Flush();
        return buffer.ToArray();
    }
}
