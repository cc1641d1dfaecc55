using Lockstep.Sync.Versioning;
using Lockstep.Testing;

namespace Lockstep.Sync.Tests.Versioning;

/// <summary>What each versioning kind keeps under .stversions/, and restores.</summary>
public sealed class VersioningTests : IDisposable
{
    private readonly TempDirectory _dir = new("versioning");
    private readonly ManualTimeProvider _clock = new();

    public void Dispose() => _dir.Dispose();

    private Versioner For(VersioningKind kind, int keep = 5, int cleanoutDays = 0) =>
        new(_dir.Path, new VersioningSettings { Kind = kind, Keep = keep, CleanoutDays = cleanoutDays }, _clock);

    private void Write(string name, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_dir.Combine(name))!);
        File.WriteAllText(_dir.Combine(name), text);
    }

    [Fact]
    public void Simple_keeps_the_last_n_copies_named_as_syncthing_names_them()
    {
        var v = For(VersioningKind.Simple, keep: 2);
        for (int i = 1; i <= 3; i++)
        {
            Write("docs/a.txt", $"v{i}");
            Assert.True(v.Archive("docs/a.txt"));
            Assert.False(File.Exists(_dir.Combine("docs/a.txt")));
            _clock.Advance(TimeSpan.FromMinutes(1));
        }
        var kept = v.List("docs/a.txt");
        Assert.Equal(2, kept.Count);
        Assert.All(kept, k => Assert.Matches(@"^docs/a~\d{8}-\d{6}\.txt$", k.StoredAs));
        Assert.Equal("v3", File.ReadAllText(_dir.Combine(".stversions", kept[0].StoredAs))); // newest first
        Assert.Equal("v2", File.ReadAllText(_dir.Combine(".stversions", kept[1].StoredAs)));
    }

    [Fact]
    public void Trashcan_keeps_the_last_copy_under_its_own_name_and_cleans_out_old_ones()
    {
        var v = For(VersioningKind.Trashcan, cleanoutDays: 7);
        Write("b.txt", "first");
        v.Archive("b.txt");
        Write("b.txt", "second");
        v.Archive("b.txt");
        Assert.Equal("second", File.ReadAllText(_dir.Combine(".stversions/b.txt")));
        Assert.Equal(0, v.Cleanup());
        _clock.Advance(TimeSpan.FromDays(8));
        Assert.Equal(1, v.Cleanup());
        Assert.Empty(v.List());
    }

    [Fact]
    public void Restore_puts_a_copy_back_and_keeps_the_current_file_as_a_version()
    {
        var v = For(VersioningKind.Simple);
        Write("c.txt", "old");
        v.Archive("c.txt");
        _clock.Advance(TimeSpan.FromMinutes(5));
        Write("c.txt", "current");
        var restored = v.Restore("c.txt", null);
        Assert.Equal("old", File.ReadAllText(_dir.Combine("c.txt")));
        Assert.Equal(2, v.List("c.txt").Count); // "old" (restored from) and "current" (archived by the restore)
        Assert.Contains(v.List("c.txt"), k => File.ReadAllText(_dir.Combine(".stversions", k.StoredAs)) == "current");
        Assert.Equal("c.txt", restored.Name);
        Assert.Throws<FileNotFoundException>(() => v.Restore("never.txt", null));
    }

    [Fact]
    public void None_archives_nothing()
    {
        Write("d.txt", "x");
        Assert.False(For(VersioningKind.None).Archive("d.txt"));
        Assert.True(File.Exists(_dir.Combine("d.txt")));
    }

    [Fact]
    public void Staggered_thins_by_age_band_and_drops_what_is_older_than_max_age()
    {
        var now = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        var times = new[]
        {
            now.AddSeconds(-10), now.AddSeconds(-20),           // same 30 s bucket: one goes
            now.AddMinutes(-10),                                 // own bucket
            now.AddHours(-5).AddMinutes(-10), now.AddHours(-5).AddMinutes(-20), // same hour: one goes
            now.AddDays(-3), now.AddDays(-3).AddHours(-2),       // same day: one goes
            now.AddDays(-400),                                   // past max age
        };
        var drop = StaggeredPlan.Drop(times, now, TimeSpan.FromDays(365));
        Assert.Equal(4, drop.Count);
        Assert.Contains(now.AddDays(-400), drop);
        Assert.Contains(now.AddSeconds(-10), drop);               // the older one in a bucket stays
        Assert.Contains(now.AddHours(-5).AddMinutes(-10), drop);
        Assert.Contains(now.AddDays(-3), drop);
    }
}
