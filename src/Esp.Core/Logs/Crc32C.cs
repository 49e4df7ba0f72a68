namespace Esp;

/// <summary>CRC-32C (Castagnoli), as TFRecord frames carry it, masked as TensorFlow masks it.</summary>
static class Crc32C
{
    static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1; // the reflected Castagnoli polynomial
        return c;
    }).ToArray();

    public static uint Of(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    /// <summary>TensorFlow's masked form: rotated right by 15 bits, plus a constant.</summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = Of(data);
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
    }
}
