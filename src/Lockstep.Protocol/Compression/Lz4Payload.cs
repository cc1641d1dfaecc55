using System.Buffers.Binary;

namespace Lockstep.Protocol.Compression;

/// <summary>
/// The body of a frame whose header says LZ4, exactly as Syncthing ≥ 1.19 writes it (bep-v1.md §3):
/// <code>
///   0               4                                   message length
///   +---------------+-----------------------------------+
///   | uncompressed  | one raw LZ4 block                 |
///   | length, u32BE | (block format: no magic, no frame |
///   |               |  header, no checksum)             |
///   +---------------+-----------------------------------+
/// </code>
/// The frame's message length covers both parts. Receiving, the declared length is checked against the
/// limit and against what the block could possibly expand to before a byte is allocated for it.
/// </summary>
internal static unsafe class Lz4Payload
{
    public const int PrefixLength = 4;

    // Each extra match-length byte in an LZ4 block adds at most 255 output bytes, so no valid block expands
    // more than 255-fold; the slack covers the few fixed bytes of tiny blocks.
    private const long MaxExpansion = 255;
    private const long ExpansionSlack = 64;

    /// <summary>
    /// Writes prefix + block into destination, all of which the payload may use; returns the payload length,
    /// or 0 when the block does not fit (the caller then sends the message uncompressed).
    /// </summary>
    public static int TryCompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length <= PrefixLength)
            return 0;
        var blockSpace = destination[PrefixLength..];
        int written;
        fixed (byte* src = source)
        fixed (byte* dst = blockSpace)
            written = Lz4Native.CompressDefault(src, dst, source.Length, blockSpace.Length);
        if (written <= 0)
            return 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)source.Length);
        return PrefixLength + written;
    }

    /// <summary>
    /// The uncompressed length the payload declares, once it is known to be within the limit and within what
    /// the block could produce. Throws before anything of that size exists.
    /// </summary>
    public static int ReadDeclaredLength(ReadOnlySpan<byte> payload, ProtocolLimits limits)
    {
        if (payload.Length < PrefixLength)
            throw ProtocolErrors.Lz4PayloadTooShort(payload.Length);
        uint declared = BinaryPrimitives.ReadUInt32BigEndian(payload);
        if (declared > (uint)limits.MaxMessageSize)
            throw ProtocolErrors.DecompressedTooLarge(declared, limits.MaxMessageSize);
        long blockLength = payload.Length - PrefixLength;
        if (declared > blockLength * MaxExpansion + ExpansionSlack)
            throw ProtocolErrors.ImpossibleExpansion(declared, blockLength);
        return (int)declared;
    }

    /// <summary>Decompresses the payload's block into destination, whose length must be the declared length.</summary>
    public static void Decompress(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        var block = payload[PrefixLength..];
        if (block.IsEmpty)
            throw ProtocolErrors.Lz4BlockInvalid(destination.Length, block.Length);
        int produced;
        fixed (byte* src = block)
        fixed (byte* dst = destination)
            produced = Lz4Native.DecompressSafe(src, dst, block.Length, destination.Length);
        if (produced < 0)
            throw ProtocolErrors.Lz4BlockInvalid(destination.Length, block.Length);
        if (produced != destination.Length)
            throw ProtocolErrors.Lz4LengthMismatch(destination.Length, produced);
    }

    /// <summary>The worst-case block length for an input of this size.</summary>
    public static int MaxBlockLength(int inputLength) => Lz4Native.CompressBound(inputLength);
}
