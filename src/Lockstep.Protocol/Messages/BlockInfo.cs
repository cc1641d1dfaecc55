namespace Lockstep.Protocol.Messages;

/// <summary>One block of a file: offset, length and SHA-256 of its bytes (32 bytes). WeakHash is Adler-32 or 0.</summary>
public sealed record BlockInfo(long Offset, int Size, byte[] Hash, uint WeakHash = 0)
{
    public bool Equals(BlockInfo? other) =>
        other is not null && Offset == other.Offset && Size == other.Size && WeakHash == other.WeakHash &&
        Hash.AsSpan().SequenceEqual(other.Hash);

    public override int GetHashCode() => HashCode.Combine(Offset, Size, BitConverter.ToInt32(Hash, 0));
}
