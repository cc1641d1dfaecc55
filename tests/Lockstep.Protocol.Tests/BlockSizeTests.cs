using Lockstep.Protocol.Blocks;

namespace Lockstep.Protocol.Tests;

public sealed class BlockSizeTests
{
    private const long MiB = 1024 * 1024;

    // bep-v1.md §5.7: the smallest size with fileSize < 2000 × blockSize, else 16 MiB.
    [Theory]
    [InlineData(0L, 128 * 1024)]
    [InlineData(250 * MiB - 1, 128 * 1024)]
    [InlineData(250 * MiB, 256 * 1024)]
    [InlineData(500 * MiB - 1, 256 * 1024)]
    [InlineData(500 * MiB, 512 * 1024)]
    [InlineData(1024 * MiB, 1024 * 1024)]   // 1 GiB → 1 MiB blocks
    [InlineData(2000 * MiB - 1, 1024 * 1024)]
    [InlineData(2000 * MiB, 2 * 1024 * 1024)]
    [InlineData(16000 * MiB - 1, 8 * 1024 * 1024)]
    [InlineData(16000 * MiB, 16 * 1024 * 1024)]
    [InlineData(1_000_000 * MiB, 16 * 1024 * 1024)]
    public void Picks_syncthings_size_at_each_boundary(long fileSize, int expected) =>
        Assert.Equal(expected, BlockSizes.For(fileSize));

    [Theory]
    [InlineData(250 * MiB, 128 * 1024, 128 * 1024)]      // one step away: keep the old size
    [InlineData(250 * MiB - 1, 256 * 1024, 256 * 1024)]  // one step the other way: keep
    [InlineData(1024 * MiB, 128 * 1024, 1024 * 1024)]    // several steps: re-cut
    [InlineData(10 * MiB, 0, 128 * 1024)]                // no previous size
    public void Rescan_keeps_a_size_one_step_away(long fileSize, int previous, int expected) =>
        Assert.Equal(expected, BlockSizes.ForRescan(fileSize, previous));
}
