using System.Buffers.Binary;

namespace Esp;

/// <summary>
/// The records of a TFRecord file (a TensorBoard event file): each frame is a little-endian uint64 length, the masked
/// CRC-32C of those 8 bytes, the record, and the masked CRC-32C of the record. Both checksums are checked; reading
/// stops at the first frame that is cut short or fails its check, keeping the records before it, and says where.
/// </summary>
static class TfRecordFile
{
    public static (IReadOnlyList<byte[]> Records, string Note) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var records = new List<byte[]>();
        int at = 0;
        string Stopped(string why) =>
            $"{Path.GetFileName(path)}: {why} at byte {at} of {bytes.Length}; read the {records.Count} records before it";
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 12) return (records, Stopped("a frame header cut short"));
            var header = bytes.AsSpan(at, 8);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8, 4)) != Crc32C.Masked(header))
                return (records, Stopped("a length whose CRC-32C does not match"));
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (bytes.Length - at < 16 || length > (ulong)(bytes.Length - at - 16)) return (records, Stopped("a record cut short"));
            var record = bytes.AsSpan(at + 12, (int)length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length, 4)) != Crc32C.Masked(record))
                return (records, Stopped("a record whose CRC-32C does not match"));
            records.Add(record.ToArray());
            at += 16 + (int)length;
        }
        return (records, "");
    }
}
