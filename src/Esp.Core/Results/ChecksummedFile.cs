using System.Security.Cryptography;
using System.Text;

namespace Esp;

/// <summary>
/// Binary files Esp writes and reads back (checkpoints, shard records): the content, then a SHA-256 of it, written
/// atomically. Reading checks the hash before anything is parsed, so a file cut short, emptied or changed on disk is
/// refused by its path instead of being read back as numbers.
/// </summary>
public static class ChecksummedFile
{
    const int HashBytes = 32;

    /// <summary>Writes what <paramref name="body"/> writes, followed by its SHA-256, atomically.</summary>
    public static void Write(string path, Action<BinaryWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true)) body(w);
        var (content, length) = (buffer.GetBuffer(), (int)buffer.Length);
        var hash = SHA256.HashData(content.AsSpan(0, length));
        AtomicFile.Write(path, stream => { stream.Write(content, 0, length); stream.Write(hash); });
    }

    /// <summary>A reader over the checked content of <paramref name="path"/>; a file too short for its checksum, or whose
    /// checksum does not match, throws <see cref="InvalidDataException"/> naming it as <paramref name="what"/>.</summary>
    public static BinaryReader Open(string path, string what)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < HashBytes)
            throw new InvalidDataException($"{what} {path} is corrupt: {bytes.Length} bytes, cut short");
        if (!SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashBytes)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashBytes)))
            throw new InvalidDataException($"{what} {path} is corrupt: its SHA-256 does not match its content");
        return new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - HashBytes), Encoding.UTF8);
    }
}
