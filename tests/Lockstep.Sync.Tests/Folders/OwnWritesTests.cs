using Lockstep.Sync.Folders;
using Lockstep.Testing;

namespace Lockstep.Sync.Tests.Folders;

/// <summary>
/// The puller's own writes against real files: an echo is dropped only while the disk shows exactly what the puller
/// left; any later write, a second event, or an old entry goes to a scan as usual.
/// </summary>
public sealed class OwnWritesTests : IDisposable
{
    private readonly TempDirectory _dir = new("lockstep-own");
    private readonly ManualTimeProvider _clock = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Writes a temp file, records it, and renames it into place, as the puller does.</summary>
    private string Pulled(OwnWrites own, string name, string content)
    {
        var temp = _dir.Write("." + name + ".tmp", content);
        var full = _dir.Combine(name);
        own.Record(name, temp);
        File.Move(temp, full, overwrite: true);
        return full;
    }

    [Fact]
    public void The_echo_of_a_renamed_temp_file_is_dropped_once()
    {
        var own = new OwnWrites(_clock);
        var full = Pulled(own, "a.txt", "pulled");
        Assert.True(own.IsEcho("a.txt", full));
        Assert.Equal(1, own.Dropped);
        Assert.False(own.IsEcho("a.txt", full), "a second event for the name is someone else's change");
        Assert.Equal(0, own.Count);
    }

    [Fact]
    public void A_write_after_the_pull_is_not_an_echo()
    {
        var own = new OwnWrites(_clock);
        var full = Pulled(own, "a.txt", "pulled");
        File.WriteAllText(full, "edited by a person!");
        Assert.False(own.IsEcho("a.txt", full));
    }

    [Fact]
    public void A_touch_that_keeps_the_size_is_not_an_echo()
    {
        var own = new OwnWrites(_clock);
        var full = Pulled(own, "a.txt", "pulled");
        File.SetLastWriteTimeUtc(full, DateTime.UtcNow.AddMinutes(-3));
        Assert.False(own.IsEcho("a.txt", full));
    }

    [Fact]
    public void A_file_replaced_by_another_inode_is_not_an_echo()
    {
        var own = new OwnWrites(_clock);
        var full = Pulled(own, "a.txt", "pulled");
        var mtime = File.GetLastWriteTimeUtc(full);
        File.Delete(full);
        File.WriteAllText(full, "pulled");
        File.SetLastWriteTimeUtc(full, mtime);
        Assert.False(own.IsEcho("a.txt", full));
    }

    [Fact]
    public void A_delete_is_an_echo_while_the_name_stays_absent()
    {
        var own = new OwnWrites(_clock);
        var full = _dir.Write("gone.txt", "x");
        File.Delete(full);
        own.Record("gone.txt", full);
        Assert.True(own.IsEcho("gone.txt", full));

        var back = _dir.Write("back.txt", "x");
        File.Delete(back);
        own.Record("back.txt", back);
        File.WriteAllText(back, "created again by a person");
        Assert.False(own.IsEcho("back.txt", back));
    }

    [Fact]
    public void An_unrecorded_name_and_an_expired_entry_are_not_echoes()
    {
        var own = new OwnWrites(_clock);
        var other = _dir.Write("other.txt", "x");
        Assert.False(own.IsEcho("other.txt", other));

        var full = Pulled(own, "late.txt", "pulled");
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(own.IsEcho("late.txt", full));
    }
}
