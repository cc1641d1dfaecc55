using Lockstep.Sync.Folders;
using Lockstep.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lockstep.Sync.Tests;

public sealed class FolderRunnerTests : IDisposable
{
    private readonly SyncFixture _f = new();
    private readonly CancellationTokenSource _stop = new();

    public void Dispose()
    {
        _stop.Cancel();
        _f.Dispose();
    }

    private (FolderRunner Runner, Task Loop) Start(FolderSettings settings, Lockstep.Index.FolderIndex? index = null)
    {
        var runner = new FolderRunner(settings, index ?? _f.Index, NullLogger.Instance);
        return (runner, Task.Run(() => runner.RunAsync(_stop.Token)));
    }

    [Fact]
    public async Task A_watched_change_reaches_the_index()
    {
        var (runner, _) = Start(_f.Settings(s => s with { WatcherEnabled = true }));
        await Eventually.TrueAsync(() => runner.LastScan is not null, TimeSpan.FromSeconds(10), "the initial scan");
        _f.Folder.Write("watched/new.txt", "hello");
        await Eventually.TrueAsync(() => _f.Index.GetLocal("watched/new.txt") is { Size: 5 }, TimeSpan.FromSeconds(10), "the watched file in the index");
        File.Delete(_f.Folder.Combine("watched/new.txt"));
        await Eventually.TrueAsync(() => _f.Index.GetLocal("watched/new.txt") is { Deleted: true }, TimeSpan.FromSeconds(10), "the tombstone");
    }

    [Fact]
    public async Task A_missing_marker_stops_the_folder_and_deletes_nothing()
    {
        _f.Folder.Write("precious.txt", "do not lose");
        var (runner, _) = Start(_f.Settings());
        await runner.ScanAsync();
        Directory.Delete(_f.Folder.Combine(".stfolder"));
        File.Delete(_f.Folder.Combine("precious.txt")); // looks like "everything deleted"
        var e = await Assert.ThrowsAsync<FolderErrorException>(() => runner.ScanAsync());
        Assert.Contains("folder marker missing", e.Message);
        Assert.Equal(FolderState.Error, runner.State);
        Assert.False(_f.Index.GetLocal("precious.txt")!.Deleted);
        Assert.False(Directory.Exists(_f.Folder.Combine(".stfolder"))); // never silently re-marked

        Directory.CreateDirectory(_f.Folder.Combine(".stfolder")); // a person restores it
        await runner.ScanAsync();
        Assert.Equal(FolderState.Idle, runner.State);
        Assert.Null(runner.Error);
    }

    [Fact]
    public async Task A_folder_whose_path_is_missing_is_in_error_while_another_folder_works()
    {
        var missing = _f.Settings(s => s with { Id = "gone", Path = "/nonexistent/lockstep-test-folder" });
        var (broken, _) = Start(missing, _f.Db.Folder("gone"));
        var (working, _) = Start(_f.Settings());
        _f.Folder.Write("ok.txt", "fine");
        var e = await Assert.ThrowsAsync<FolderErrorException>(() => broken.ScanAsync());
        Assert.Contains("/nonexistent/lockstep-test-folder", e.Message);
        Assert.Contains("does not exist", e.Message);
        await working.ScanAsync();
        Assert.NotNull(_f.Index.GetLocal("ok.txt"));
        Assert.Equal(FolderState.Error, broken.State);
        Assert.Equal(FolderState.Idle, working.State);
    }

    [Fact]
    public async Task New_local_versions_are_published_as_they_are_committed()
    {
        var (runner, _) = Start(_f.Settings());
        var seen = new List<string>();
        runner.LocalIndexUpdated += files => { lock (seen) seen.AddRange(files.Select(x => x.Name)); };
        _f.Folder.Write("x.txt", "x");
        await runner.ScanAsync();
        lock (seen)
            Assert.Contains("x.txt", seen);
    }

    [Fact]
    public async Task Scans_waiting_in_the_queue_are_merged_into_one_walk()
    {
        _f.Folder.Write("a.txt", "a");
        _f.Folder.Write("b.txt", "b");
        var runner = new FolderRunner(_f.Settings(), _f.Index, NullLogger.Instance);
        var first = runner.ScanAsync(["a.txt"]);
        var second = runner.ScanAsync(["b.txt"]);
        _ = Task.Run(() => runner.RunAsync(_stop.Token));
        var (s1, s2) = (await first, await second);
        Assert.Same(s1, s2); // one scan answered both
        Assert.NotNull(_f.Index.GetLocal("a.txt"));
        Assert.NotNull(_f.Index.GetLocal("b.txt"));
    }

    [Theory]
    [InlineData(256, 100, false)]     // a few hundred paths are always looked up one by one
    [InlineData(300, 100_000, false)] // a small part of a large folder
    [InlineData(2_500, 10_001, false)]
    [InlineData(2_500, 9_999, true)]  // more than a quarter of the folder: one walk is cheaper
    [InlineData(20_000, 20_000, true)]
    public void Only_a_large_share_of_the_folder_widens_a_path_scan_into_a_walk(int paths, long indexed, bool widened) =>
        Assert.Equal(widened, FolderRunner.ShouldWiden(paths, indexed));

    [Fact]
    public async Task A_path_scan_widened_into_a_walk_starts_no_pull_pass_while_a_whole_folder_scan_does()
    {
        var peer = new Lockstep.Protocol.Identity.DeviceId(Enumerable.Repeat((byte)7, 32).ToArray());
        var (runner, _) = Start(_f.Settings(s => s with { Peers = [peer] }));
        await runner.ScanAsync();
        int syncing = 0;
        runner.StateChanged += (_, to) =>
        {
            if (to == FolderState.Syncing)
                Interlocked.Increment(ref syncing);
        };
        runner.AttachPeers(new Pulling.SourcePeer(peer, _f.Folder.Path));
        await Eventually.TrueAsync(() => Volatile.Read(ref syncing) > 0, TimeSpan.FromSeconds(10), "the pull pass that attaching peers asks for");
        await runner.ScanAsync([]); // queued behind that pass: it has ended when this returns
        int before = Volatile.Read(ref syncing);

        var names = Enumerable.Range(0, 300).Select(i => $"burst/d{i % 3}/f{i:D3}").ToList();
        foreach (var name in names)
            _f.Folder.Write(name, name);
        Assert.True(FolderRunner.ShouldWiden(names.Count, 0)); // so this scan walks the whole folder
        var summary = await runner.ScanAsync(names);
        Assert.Equal(300 + 4, summary.Changed);
        await runner.ScanAsync([]); // a pull pass the scan asked for would run before this one
        Assert.Equal(before, Volatile.Read(ref syncing));

        await runner.ScanAsync(); // the whole folder, as the periodic rescan asks
        await runner.ScanAsync([]);
        Assert.Equal(before + 1, Volatile.Read(ref syncing));
    }
}
