using System.Buffers;
using System.Collections.Concurrent;

namespace Lockstep.Protocol.Blocks;

/// <summary>
/// The arrays behind <see cref="BlockBuffer"/>s. A transfer keeps hundreds of blocks alive at once (a requester's
/// 32 MiB in flight is 256 blocks of 128 KiB, and the serving side as many again), far more than the shared
/// ArrayPool keeps per size; every miss there is a fresh large-object array, zeroed, and sooner or later a gen-2
/// collection. This pool keeps block-sized arrays (64 KiB to 16 MiB, by power of two) up to a byte budget, so a
/// steady transfer allocates nothing, and drops what lies beyond the budget to the GC so an idle node does not
/// hold a burst's worth of memory. When the process has gone quiet, <see cref="ReleaseIdle"/> lets the idle arrays go
/// too (the node's idle trimmer calls it): without that, a node that had pulled one big file kept 30-40 MB more
/// resident for as long as it ran. Smaller arrays come from the shared pool. Thread-safe.
/// </summary>
internal static class BlockPool
{
    private const int MinShift = 16; // 64 KiB
    private const int MaxShift = 24; // 16 MiB, BEP's largest block

    /// <summary>Bytes of idle arrays kept at most: 64 MiB, twice a requester's default bytes in flight.</summary>
    internal const long RetainBudget = 64L * 1024 * 1024;

    private static readonly ConcurrentQueue<byte[]>[] Buckets =
        Enumerable.Range(0, MaxShift - MinShift + 1).Select(_ => new ConcurrentQueue<byte[]>()).ToArray();

    private static long _retained;

    /// <summary>Bytes held by idle arrays right now.</summary>
    internal static long Retained => Interlocked.Read(ref _retained);

    /// <summary>An array of at least <paramref name="length"/> bytes (contents undefined); length must be positive.</summary>
    public static byte[] Rent(int length)
    {
        if (length < 1 << MinShift || length > 1 << MaxShift)
            return ArrayPool<byte>.Shared.Rent(length);
        int shift = Shift(length);
        if (Buckets[shift - MinShift].TryDequeue(out var array))
        {
            Interlocked.Add(ref _retained, -array.Length);
            return array;
        }
        return GC.AllocateUninitializedArray<byte>(1 << shift);
    }

    /// <summary>Takes back an array from <see cref="Rent"/>.</summary>
    public static void Return(byte[] array)
    {
        int length = array.Length;
        if (length < 1 << MinShift || length > 1 << MaxShift || !int.IsPow2(length))
        {
            ArrayPool<byte>.Shared.Return(array);
            return;
        }
        if (Interlocked.Add(ref _retained, length) > RetainBudget)
        {
            Interlocked.Add(ref _retained, -length); // over budget: the GC takes it
            return;
        }
        Buckets[Shift(length) - MinShift].Enqueue(array);
    }

    /// <summary>Lets every idle array go to the collector; returns their bytes. Arrays rented now are not affected.</summary>
    public static long ReleaseIdle()
    {
        long released = 0;
        foreach (var bucket in Buckets)
        {
            while (bucket.TryDequeue(out var array))
            {
                Interlocked.Add(ref _retained, -array.Length);
                released += array.Length;
            }
        }
        return released;
    }

    private static int Shift(int length) => 32 - int.LeadingZeroCount(length - 1);
}
