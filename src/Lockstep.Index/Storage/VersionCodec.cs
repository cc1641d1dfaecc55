using System.Buffers.Binary;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;

namespace Lockstep.Index.Storage;

/// <summary>
/// Version vectors as stored in the <c>version</c> columns:
/// <code>
///   +----------------------+----------------------+
///   | short id: u64 BE     | value: u64 BE        |  × counters, in the vector's order (ascending id)
///   +----------------------+----------------------+
/// </code>
/// An empty vector is NULL. Big-endian unsigned, so values above long.MaxValue survive untouched.
/// </summary>
internal static class VersionCodec
{
    private const int CounterSize = 16;

    public static byte[]? Encode(VersionVector version)
    {
        var counters = version.Counters;
        if (counters.IsEmpty)
            return null;
        var blob = new byte[counters.Length * CounterSize];
        var span = blob.AsSpan();
        foreach (var c in counters)
        {
            BinaryPrimitives.WriteUInt64BigEndian(span, c.Id.Value);
            BinaryPrimitives.WriteUInt64BigEndian(span[8..], c.Value);
            span = span[CounterSize..];
        }
        return blob;
    }

    /// <summary>Decodes a stored vector; throws <see cref="InvalidDataException"/> when the length is not whole counters.</summary>
    public static VersionVector Decode(ReadOnlySpan<byte> blob)
    {
        if (blob.IsEmpty)
            return VersionVector.Empty;
        if (blob.Length % CounterSize != 0)
            throw new InvalidDataException($"a version vector of {blob.Length} bytes is not a whole number of {CounterSize}-byte counters");
        var counters = new Counter[blob.Length / CounterSize];
        for (int i = 0; i < counters.Length; i++, blob = blob[CounterSize..])
        {
            counters[i] = new Counter(
                new ShortId(BinaryPrimitives.ReadUInt64BigEndian(blob)),
                BinaryPrimitives.ReadUInt64BigEndian(blob[8..]));
        }
        return VersionVector.From(counters);
    }
}
