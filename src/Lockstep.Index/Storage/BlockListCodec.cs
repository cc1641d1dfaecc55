using System.Buffers.Binary;
using System.Collections.Immutable;
using Lockstep.Protocol.Messages;

namespace Lockstep.Index.Storage;

/// <summary>
/// Block lists as stored in the <c>blocks</c> columns, one record per block in list order:
/// <code>
///    0        8        12       16   17
///   +--------+--------+--------+----+----------------+
///   | offset | size   | weak   | n  | hash: n bytes  |   offset i64 BE, size i32 BE, weak hash u32 BE,
///   +--------+--------+--------+----+----------------+   n = hash length (32 for SHA-256)
/// </code>
/// 49 bytes per SHA-256 block. Offsets are stored, not derived from the block size, so whatever a
/// peer announced reads back exactly. An empty list is NULL.
/// </summary>
internal static class BlockListCodec
{
    private const int HeaderSize = 17;

    public static byte[]? Encode(ImmutableArray<BlockInfo> blocks)
    {
        if (blocks.IsDefaultOrEmpty)
            return null;
        int length = 0;
        foreach (var b in blocks)
        {
            if (b.Hash.Length > byte.MaxValue)
                throw new ArgumentException($"a block hash of {b.Hash.Length} bytes is longer than the index stores ({byte.MaxValue})");
            length += HeaderSize + b.Hash.Length;
        }
        var blob = new byte[length];
        var span = blob.AsSpan();
        foreach (var b in blocks)
        {
            BinaryPrimitives.WriteInt64BigEndian(span, b.Offset);
            BinaryPrimitives.WriteInt32BigEndian(span[8..], b.Size);
            BinaryPrimitives.WriteUInt32BigEndian(span[12..], b.WeakHash);
            span[16] = (byte)b.Hash.Length;
            b.Hash.CopyTo(span[HeaderSize..]);
            span = span[(HeaderSize + b.Hash.Length)..];
        }
        return blob;
    }

    /// <summary>Decodes a stored list; throws <see cref="InvalidDataException"/> when a record is cut short.</summary>
    public static ImmutableArray<BlockInfo> Decode(ReadOnlySpan<byte> blob)
    {
        if (blob.IsEmpty)
            return ImmutableArray<BlockInfo>.Empty;
        // Most lists hold one hash size; the estimate only sizes the builder.
        var builder = ImmutableArray.CreateBuilder<BlockInfo>(blob.Length / (HeaderSize + 32) + 1);
        while (!blob.IsEmpty)
        {
            if (blob.Length < HeaderSize || blob.Length < HeaderSize + blob[16])
                throw new InvalidDataException($"a block list ends inside a block record ({blob.Length} bytes left)");
            int hashLength = blob[16];
            builder.Add(new BlockInfo(
                BinaryPrimitives.ReadInt64BigEndian(blob),
                BinaryPrimitives.ReadInt32BigEndian(blob[8..]),
                blob.Slice(HeaderSize, hashLength).ToArray(),
                BinaryPrimitives.ReadUInt32BigEndian(blob[12..])));
            blob = blob[(HeaderSize + hashLength)..];
        }
        return builder.Count == builder.Capacity ? builder.MoveToImmutable() : builder.ToImmutable();
    }
}
