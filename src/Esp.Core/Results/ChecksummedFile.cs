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

    /// <summary>Writes what <paramref name="body"/> writes, followed by its SHA-256, atomically (and <paramref name="durable"/>:
    /// on the disk before it is renamed into place).</summary>
    public static void Write(string path, Action<BinaryWriter> body, bool durable = true) =>
        AtomicFile.Write(path, stream =>
        {
            // Hashed on the way to the file: a copy of a checkpoint in memory first cost more than writing it.
            using var hashing = new HashingStream(stream);
            using (var w = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true)) body(w);
            stream.Write(hashing.Hash.GetHashAndReset());
        }, durable);

    /// <summary>A reader over the checked content of <paramref name="path"/> (see <see cref="ReadAllBytes"/>).</summary>
    public static BinaryReader Open(string path, string what, string fix) =>
        new(new MemoryStream(ReadAllBytes(path, what, fix)), Encoding.UTF8);

    /// <summary>The checked content of <paramref name="path"/>; a file too short for its checksum, or whose checksum does
    /// not match, throws <see cref="InvalidDataException"/> naming it as <paramref name="what"/>, with <paramref name="fix"/>
    /// (what to do) after it.</summary>
    public static byte[] ReadAllBytes(string path, string what, string fix)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < HashBytes)
            throw new InvalidDataException($"{what} {path} is corrupt: {bytes.Length} bytes, cut short{fix}");
        if (!SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashBytes)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashBytes)))
            throw new InvalidDataException($"{what} {path} is corrupt: its SHA-256 does not match its content{fix}");
        return bytes[..^HashBytes];
    }

    /// <summary>A cache entry's checked content, or null when it is missing or corrupt (the caller builds it again).</summary>
    public static byte[]? ReadCached(string path)
    {
        try { return File.Exists(path) ? ReadAllBytes(path, "cache entry", "") : null; }
        catch (InvalidDataException) { return null; }
    }

    /// <summary>Writes <paramref name="content"/> followed by its SHA-256, atomically.</summary>
    public static void WriteBytes(string path, byte[] content) => Write(path, w => w.Write(content));

    /// <summary>Passes writes through to <paramref name="inner"/> and into a running SHA-256.</summary>
    sealed class HashingStream(Stream inner) : Stream
    {
        public IncrementalHash Hash { get; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Hash.AppendData(buffer);
            inner.Write(buffer);
        }
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) Hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
