using Lockstep.FileSystem.Native;
using Lockstep.FileSystem.Scanning;

namespace Lockstep.FileSystem.Tests.Scanning;

/// <summary>The racy-read rule as a pure function (the concurrent-writer proof is Sync's TornReadTests).</summary>
public sealed class RacyReadTests
{
    private static FileStat At(long unixNs) => new(0x81A4, 1, 10, unixNs / 1_000_000_000, (int)(unixNs % 1_000_000_000), 1);

    [Theory]
    [InlineData(0, true)]              // stamped in the same instant the read began
    [InlineData(-5, true)]             // within the margin before it (a coarser-stamping file system)
    [InlineData(3, true)]              // during the read
    [InlineData(-25, false)]           // older than the margin: at rest
    [InlineData(-60_000, false)]       // a minute old
    [InlineData(3_600_000, false)]     // an hour in the future: clock skew or a copy, not a write happening now
    public void A_read_is_racy_only_when_the_mtime_is_not_older_than_its_start(long mtimeMsFromStart, bool racy)
    {
        long started = RacyRead.NowUnixNs();
        Assert.Equal(racy, RacyRead.IsRacy(At(started + mtimeMsFromStart * 1_000_000), started));
    }

    [Fact]
    public void The_clock_is_the_one_mtimes_are_stamped_with()
    {
        // What the rule relies on: a write's stamp is never below a reading of this clock taken before the write
        // (true of the kernel's coarse clock, and not of the fine one, which runs up to a tick ahead of the stamps).
        var path = Path.GetTempFileName();
        try
        {
            for (int i = 0; i < 200; i++)
            {
                long before = RacyRead.NowUnixNs();
                File.WriteAllText(path, i.ToString());
                Assert.True(StatX.TryLstat(path, out var st, out _));
                long mtime = st.ModifiedS * 1_000_000_000 + st.ModifiedNs;
                Assert.True(mtime >= before, $"write {i}: mtime {mtime} is below the earlier reading {before}");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
