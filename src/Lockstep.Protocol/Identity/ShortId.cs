namespace Lockstep.Protocol.Identity;

/// <summary>The first 64 bits of a device ID (big-endian): the key of version-vector counters and modified_by.</summary>
public readonly record struct ShortId(ulong Value) : IComparable<ShortId>
{
    public int CompareTo(ShortId other) => Value.CompareTo(other.Value);

    /// <summary>As Syncthing prints it: the first 7 base32 characters, equal to the device ID's first group.</summary>
    public override string ToString()
    {
        Span<byte> b = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b, Value);
        return Base32.Encode(b)[..7];
    }
}
