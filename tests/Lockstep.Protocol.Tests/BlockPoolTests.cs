using System.Runtime.InteropServices;
using Lockstep.Protocol.Blocks;

namespace Lockstep.Protocol.Tests;

// The pool is process-wide, so these tests look only at arrays they rent themselves and at bounds that hold
// whatever other tests do at the same time.
public class BlockPoolTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(64 * 1024)]
    [InlineData(128 * 1024)]
    [InlineData(128 * 1024 + 1)]
    [InlineData(16 * 1024 * 1024)]
    public void A_buffer_has_exactly_the_length_asked_for_and_is_writable(int length)
    {
        using var buffer = BlockBuffer.Rent(length);
        Assert.Equal(length, buffer.Length);
        Assert.Equal(length, buffer.Memory.Length);
        buffer.Span.Fill(0xAB);
        Assert.Equal(0xAB, buffer.Span[^1]);
    }

    [Fact]
    public void A_returned_block_array_is_handed_out_again()
    {
        // Sizes no other test in this assembly rents, so the bucket holds only what this test returns.
        const int length = 2 * 1024 * 1024 + 3;
        var first = BlockPool.Rent(length);
        Assert.Equal(4 * 1024 * 1024, first.Length); // the next power of two
        BlockPool.Return(first);
        var second = BlockPool.Rent(length);
        Assert.Same(first, second);
        BlockPool.Return(second);
    }

    [Fact]
    public void Idle_arrays_beyond_the_budget_are_left_to_the_collector()
    {
        const int size = 8 * 1024 * 1024;
        int count = (int)(BlockPool.RetainBudget / size) + 4;
        var arrays = Enumerable.Range(0, count).Select(_ => BlockPool.Rent(size)).ToList();
        foreach (var array in arrays)
            BlockPool.Return(array);
        Assert.InRange(BlockPool.Retained, 0, BlockPool.RetainBudget);
        // Drain what was kept so the budget is free for the other tests.
        for (int i = 0; i < count; i++)
            _ = BlockPool.Rent(size);
    }

    [Fact]
    public void Disposing_twice_returns_the_array_once()
    {
        const int length = 1024 * 1024 + 7; // a bucket of its own
        var buffer = BlockBuffer.Rent(length);
        buffer.Dispose();
        buffer.Dispose();
        var a = BlockPool.Rent(length);
        var b = BlockPool.Rent(length);
        Assert.NotSame(a, b);
        Assert.Throws<ObjectDisposedException>(() => buffer.Memory);
    }

    [Fact]
    public void Releasing_the_idle_arrays_empties_the_pool_and_leaves_rented_ones_alone()
    {
        const int length = 512 * 1024 + 1; // the 1 MiB bucket, which no other test here rents
        var idle = BlockPool.Rent(length);
        var rented = BlockBuffer.Rent(length);
        BlockPool.Return(idle);
        Assert.True(BlockBuffer.ReleaseIdleArrays() >= idle.Length);
        Assert.NotSame(idle, BlockPool.Rent(length)); // it went to the collector, not back to a caller
        rented.Span.Fill(1); // still usable
        Assert.True(MemoryMarshal.TryGetArray<byte>(rented.Memory, out var segment));
        rented.Dispose();
        var again = BlockPool.Rent(length);
        Assert.Same(segment.Array, again); // and back in the pool once returned
        BlockPool.Return(again);
    }
}
