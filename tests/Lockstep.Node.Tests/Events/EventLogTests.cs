using Lockstep.Contracts;
using Lockstep.Contracts.Rest;
using Lockstep.Node.Events;

namespace Lockstep.Node.Tests.Events;

public sealed class EventLogTests
{
    private static void Publish(EventLog log, string type, int n = 1)
    {
        for (int i = 0; i < n; i++)
            log.Publish(type, new StartupCompleteData("x"), ContractsJsonContext.Default.StartupCompleteData);
    }

    [Fact]
    public void Events_are_numbered_from_one_and_read_after_an_id_filtered_and_limited()
    {
        var log = new EventLog();
        Assert.Empty(log.Since(0));
        Publish(log, "A", 3);
        Publish(log, "B", 2);
        Assert.Equal([1L, 2, 3, 4, 5], log.Since(0).Select(e => e.Id));
        Assert.Equal([4L, 5], log.Since(3).Select(e => e.Id));
        Assert.Equal([4L, 5], log.Since(0, t => t == "B").Select(e => e.Id));
        Assert.Equal([3L, 4, 5], log.Since(0, limit: 3).Select(e => e.Id));
        Assert.Equal("x", log.Since(4).Single().Data.GetProperty("myID").GetString());
        Assert.Empty(log.Since(5));
        Assert.Empty(log.Since(99));
        Assert.Equal(5, log.LastId);
    }

    [Fact]
    public void Only_the_newest_thousand_are_kept()
    {
        var log = new EventLog();
        Publish(log, "A", EventLog.Capacity + 250);
        var all = log.Since(0);
        Assert.Equal(EventLog.Capacity, all.Count);
        Assert.Equal(251, all[0].Id);
        Assert.Equal(EventLog.Capacity + 250, all[^1].Id);
        Assert.Equal(252, log.Since(251)[0].Id);
    }

    [Fact]
    public async Task A_long_poll_wakes_on_the_first_matching_event_and_ends_empty_at_its_timeout()
    {
        var log = new EventLog();
        var waiting = log.WaitAsync(0, t => t == "B", null, TimeSpan.FromSeconds(30), CancellationToken.None);
        Publish(log, "A");
        Assert.False(waiting.IsCompleted); // not the type it waits for
        Publish(log, "B");
        var got = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, Assert.Single(got).Id);

        var clock = new Lockstep.Testing.ManualTimeProvider();
        var quiet = new EventLog(clock);
        var timedOut = quiet.WaitAsync(0, null, null, TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.False(timedOut.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Empty(await timedOut.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
