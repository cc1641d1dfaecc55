using Lockstep.Connections.Trust;
using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Tests.Trust;

public sealed class PendingDevicesTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Records_first_and_last_seen_count_and_latest_address_and_reports_each_change()
    {
        var pending = new PendingDevices();
        var changes = new List<PendingDeviceChange>();
        pending.Changed += (_, c) => changes.Add(c);
        var id = Id(1);

        pending.Record(id, "10.0.0.1:1000", T0);
        pending.Record(id, "10.0.0.2:2000", T0.AddMinutes(1));
        // A late report of an earlier attempt does not move last-seen backwards.
        var entry = pending.Record(id, "10.0.0.3:3000", T0.AddSeconds(30));

        Assert.Equal(new PendingDevice(id, "10.0.0.3:3000", T0, T0.AddMinutes(1), 3), entry);
        Assert.Equal([entry], pending.Snapshot());
        Assert.Equal([PendingChangeKind.Added, PendingChangeKind.Updated, PendingChangeKind.Updated], changes.Select(c => c.Kind));
        Assert.Equal(entry, changes[^1].Device);

        Assert.True(pending.Remove(id));
        Assert.False(pending.Remove(id));
        Assert.Empty(pending.Snapshot());
        Assert.Equal(PendingChangeKind.Removed, changes[^1].Kind);
        Assert.Equal(4, changes.Count);
    }

    [Fact]
    public void Snapshot_lists_first_seen_first_and_is_a_copy()
    {
        var pending = new PendingDevices();
        pending.Record(Id(2), "b", T0.AddSeconds(2));
        pending.Record(Id(1), "a", T0.AddSeconds(1));
        var snapshot = pending.Snapshot();
        pending.Record(Id(3), "c", T0);
        Assert.Equal(["a", "b"], snapshot.Select(p => p.Address));
        Assert.Equal(["c", "a", "b"], pending.Snapshot().Select(p => p.Address));
    }

    [Fact]
    public void When_full_the_device_seen_longest_ago_makes_room()
    {
        var pending = new PendingDevices(capacity: 2);
        var changes = new List<PendingDeviceChange>();
        pending.Changed += (_, c) => changes.Add(c);
        pending.Record(Id(1), "a", T0);
        pending.Record(Id(2), "b", T0.AddSeconds(1));
        pending.Record(Id(1), "a", T0.AddSeconds(2)); // 1 is now the more recent
        pending.Record(Id(3), "c", T0.AddSeconds(3));

        Assert.Equal([Id(1), Id(3)], pending.Snapshot().Select(p => p.DeviceId));
        Assert.Equal((PendingChangeKind.Removed, Id(2)), (changes[^2].Kind, changes[^2].Device.DeviceId));
        Assert.Equal((PendingChangeKind.Added, Id(3)), (changes[^1].Kind, changes[^1].Device.DeviceId));
    }

    [Fact]
    public async Task Concurrent_records_are_all_counted()
    {
        var pending = new PendingDevices();
        var events = 0;
        pending.Changed += (_, _) => Interlocked.Increment(ref events);
        var ids = Enumerable.Range(1, 8).Select(Id).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
                pending.Record(ids[(t + i) % ids.Length], $"10.0.0.{t}:1", T0.AddTicks(i));
        })));
        var snapshot = pending.Snapshot();
        Assert.Equal(8, snapshot.Count);
        Assert.Equal(8000, snapshot.Sum(p => p.Count));
        Assert.Equal(8000, events);
    }

    private static DeviceId Id(int n)
    {
        var bytes = new byte[32];
        bytes[0] = (byte)n;
        return new DeviceId(bytes);
    }
}
