using Lockstep.Node.Hosting;

namespace Lockstep.Node.Tests.Hosting;

/// <summary>
/// When the trimmer collects: only once the process has gone quiet (no gen-0 collection for two looks), only when
/// idle pool arrays or grown committed memory make it worth it, once per quiet spell, and again after new work.
/// The process's counters are played by fields here (what the real collection gives back is measured in bench notes,
/// not asserted: other tests in the process allocate at the same time).
/// </summary>
public sealed class IdleMemoryTrimmerTests
{
    private const long MiB = 1024 * 1024;
    private int _gen0;
    private long _committed = 20 * MiB;
    private long _idleInPool;
    private int _collections;

    private IdleMemoryTrimmer NewTrimmer() => new(
        () => _gen0,
        () => _committed,
        () =>
        {
            long released = _idleInPool;
            _idleInPool = 0;
            return released;
        },
        () =>
        {
            _collections++;
            _gen0++; // a collection counts in gen 0 too
            _committed = 22 * MiB;
        });

    [Fact]
    public void A_busy_process_is_left_alone_and_a_quiet_one_is_trimmed_once()
    {
        var trimmer = NewTrimmer();
        _idleInPool = 32 * MiB;
        for (int i = 0; i < 5; i++)
        {
            _gen0++; // a collection between every two looks: busy
            Assert.False(trimmer.Tick());
        }
        Assert.False(trimmer.Tick()); // first quiet look
        Assert.True(trimmer.Tick()); // second: quiet long enough
        Assert.Equal(1, _collections);
        Assert.Equal(0, _idleInPool);
        for (int i = 0; i < 5; i++)
            Assert.False(trimmer.Tick()); // still the same quiet spell: its own collection was not new work
        Assert.Equal(1, _collections);
    }

    [Fact]
    public void A_quiet_spell_with_little_to_give_back_does_not_collect()
    {
        var trimmer = NewTrimmer();
        _idleInPool = IdleMemoryTrimmer.MinReleasedBytes - 1;
        _committed += IdleMemoryTrimmer.MinGrowthBytes - 1;
        for (int i = 0; i < 6; i++)
            Assert.False(trimmer.Tick());
        Assert.Equal(0, _collections);
    }

    [Fact]
    public void Grown_committed_memory_alone_is_worth_a_collection_and_new_work_allows_the_next_one()
    {
        var trimmer = NewTrimmer();
        _committed += IdleMemoryTrimmer.MinGrowthBytes;
        Assert.False(trimmer.Tick());
        Assert.False(trimmer.Tick());
        Assert.True(trimmer.Tick());
        Assert.Equal(1, _collections);

        // A new burst: work (collections), then quiet with the pool holding arrays again.
        _gen0 += 3;
        _idleInPool = 16 * MiB;
        Assert.False(trimmer.Tick());
        Assert.False(trimmer.Tick());
        Assert.True(trimmer.Tick());
        Assert.Equal(2, _collections);
    }
}
