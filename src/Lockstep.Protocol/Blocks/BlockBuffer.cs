namespace Lockstep.Protocol.Blocks;

/// <summary>
/// A block's bytes in an array rented from <see cref="BlockPool"/>. A 128 KiB block in a fresh array lands on the
/// large object heap and costs a gen-2 collection every few hundred blocks; rented, a transfer allocates almost
/// nothing. The owner disposes it exactly when the bytes are no longer needed; disposing twice is harmless.
/// </summary>
public sealed class BlockBuffer : IDisposable
{
    private byte[]? _array;
    private readonly int _length;

    private BlockBuffer(byte[] array, int length)
    {
        _array = array;
        _length = length;
    }

    /// <summary>A buffer of exactly <paramref name="length"/> bytes (contents undefined).</summary>
    public static BlockBuffer Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new BlockBuffer(length == 0 ? [] : BlockPool.Rent(length), length);
    }

    public int Length => _length;

    /// <summary>
    /// Lets the pooled arrays that no buffer holds right now go to the collector (a process that has gone idle after
    /// a transfer calls this before collecting); returns their bytes.
    /// </summary>
    public static long ReleaseIdleArrays() => BlockPool.ReleaseIdle();

    /// <summary>The bytes; throws once the buffer has been returned.</summary>
    public Memory<byte> Memory => (_array ?? throw new ObjectDisposedException(nameof(BlockBuffer))).AsMemory(0, _length);

    public Span<byte> Span => Memory.Span;

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is { Length: > 0 })
            BlockPool.Return(array);
    }
}
