using System.Buffers.Binary;
using System.IO.Compression;

namespace Esp;

/// <summary>
/// Reads the IDX format of (Fashion-)MNIST, gzip'd or not: a big-endian header (magic 0x00000803 for images,
/// 0x00000801 for labels, then the sizes) followed by unsigned bytes.
/// </summary>
static class Idx
{
    /// <summary>The first <paramref name="count"/> images as [count, rows * columns] floats in [0, 1] (pixel / 255).</summary>
    public static float[] Images(string path, int count, out int pixels)
    {
        using var stream = Open(path);
        var header = Header(stream, path, 0x0803, 4);
        (int n, pixels) = (header[0], header[1] * header[2]);
        var bytes = Body(stream, path, Math.Min(count, n) * pixels, count, n);
        return Array.ConvertAll(bytes, b => b / 255f);
    }

    /// <summary>The first <paramref name="count"/> labels.</summary>
    public static long[] Labels(string path, int count)
    {
        using var stream = Open(path);
        int n = Header(stream, path, 0x0801, 2)[0];
        return Array.ConvertAll(Body(stream, path, Math.Min(count, n), count, n), b => (long)b);
    }

    static Stream Open(string path)
    {
        var file = File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>The sizes after the magic number.</summary>
    static int[] Header(Stream stream, string path, int magic, int words)
    {
        var header = new byte[4 * words];
        stream.ReadExactly(header);
        int found = BinaryPrimitives.ReadInt32BigEndian(header);
        if (found != magic)
            throw new InvalidDataException($"{path} is not an IDX {(magic == 0x0803 ? "image" : "label")} file (magic 0x{found:x8}, expected 0x{magic:x8})");
        return Enumerable.Range(1, words - 1).Select(k => BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 * k))).ToArray();
    }

    static byte[] Body(Stream stream, string path, int bytes, int asked, int available)
    {
        if (asked > available) throw new InvalidDataException($"{path} holds {available} examples, {asked} were asked for");
        var body = new byte[bytes];
        stream.ReadExactly(body);
        return body;
    }
}
