using System.Collections.Concurrent;
using System.Diagnostics;
using Lockstep.FileSystem.Watching;
using Lockstep.Testing;

namespace Lockstep.FileSystem.Tests.Watching;

public sealed class FolderWatcherTests : IDisposable
{
    private readonly TempDirectory _dir = new("watch");
    private readonly ConcurrentQueue<(WatchBatch Batch, long AtMs)> _batches = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Dispose() => _dir.Dispose();

    private FolderWatcher Start(TimeSpan delay)
    {
        var w = new FolderWatcher(_dir.Path, delay, b =>
        {
            _batches.Enqueue((b, _clock.ElapsedMilliseconds));
            return ValueTask.CompletedTask;
        });
        w.Start();
        return w;
    }

    private HashSet<string> AllPaths() => _batches.SelectMany(b => b.Batch.Paths ?? []).ToHashSet();

    [Fact]
    public async Task Create_modify_rename_and_delete_are_reported_with_folder_relative_names()
    {
        using var w = Start(TimeSpan.FromMilliseconds(50));
        Directory.CreateDirectory(_dir.Combine("sub"));
        // A file written into a directory inotify does not watch yet is reported only through the directory's
        // own event (the runner scans new directories recursively), so wait for that first.
        await Eventually.TrueAsync(() => AllPaths().Contains("sub"), TimeSpan.FromSeconds(10), "mkdir event");
        await Task.Yield();
        _dir.Write("sub/a.txt", "a");
        await Eventually.TrueAsync(() => AllPaths().Contains("sub/a.txt"), TimeSpan.FromSeconds(10), "create event");
        File.Move(_dir.Combine("sub/a.txt"), _dir.Combine("b.txt"));
        await Eventually.TrueAsync(() => AllPaths().IsSupersetOf(["b.txt"]), TimeSpan.FromSeconds(10), "rename event");
        File.Delete(_dir.Combine("b.txt"));
        File.AppendAllText(_dir.Combine("c.txt"), "c");
        await Eventually.TrueAsync(() => AllPaths().Contains("c.txt"), TimeSpan.FromSeconds(10), "delete and write events");
        Assert.DoesNotContain(_batches, b => b.Batch.Paths is { } p && p.Any(x => x.StartsWith('/')));
    }

    [Fact]
    public async Task Many_events_for_one_path_in_a_window_become_one_entry()
    {
        using var w = Start(TimeSpan.FromMilliseconds(300));
        var path = _dir.Combine("hot.txt");
        for (int i = 0; i < 50; i++)
            File.AppendAllText(path, "x");
        await Eventually.TrueAsync(() => AllPaths().Contains("hot.txt"), TimeSpan.FromSeconds(10), "the batch");
        var first = _batches.First(b => b.Batch.Paths!.Contains("hot.txt")).Batch;
        Assert.Single(first.Paths!, p => p == "hot.txt");
    }

    [Fact]
    public async Task The_window_starts_at_the_first_event_so_continuous_writes_are_still_delivered()
    {
        using var w = Start(TimeSpan.FromMilliseconds(100));
        var path = _dir.Combine("stream.log");
        var writerDone = new TaskCompletionSource<long>();
        _ = Task.Run(async () =>
        {
            // Long enough that a watcher slow to start under a loaded test run still sees most of the writes.
            var until = _clock.ElapsedMilliseconds + 3000;
            while (_clock.ElapsedMilliseconds < until)
            {
                File.AppendAllText(path, "line\n");
                await Task.Delay(10);
            }
            writerDone.SetResult(_clock.ElapsedMilliseconds);
        });
        var end = await writerDone.Task;
        // A window pushed back by every event delivers only when the writes pause for a whole window (now and then,
        // when a write is late); one that starts at the first event delivers every 100 ms, about 30 times here. At
        // least 10 leaves room for a watcher that starts late on a loaded machine.
        int during = _batches.Count(b => b.AtMs < end && b.Batch.Paths!.Contains("stream.log"));
        Assert.True(during >= 10, $"{during} batches while the file was being written for 3 s");
    }

    [Fact]
    public async Task Internal_and_temporary_names_do_not_trigger_but_stignore_does()
    {
        using var w = Start(TimeSpan.FromMilliseconds(50));
        _dir.Write(".syncthing.x.tmp", "t");
        _dir.Write(".stversions/v.txt", "v");
        _dir.Write(".stignore", "*.log");
        await Eventually.TrueAsync(() => AllPaths().Contains(".stignore"), TimeSpan.FromSeconds(10), ".stignore event");
        _dir.Write("sentinel", "s");
        await Eventually.TrueAsync(() => AllPaths().Contains("sentinel"), TimeSpan.FromSeconds(10), "sentinel event");
        Assert.DoesNotContain(".syncthing.x.tmp", AllPaths());
        Assert.DoesNotContain(AllPaths(), p => p.StartsWith(".stversions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_queue_overflow_asks_for_a_full_rescan_and_nothing_is_lost_silently()
    {
        // The directory exists before the watch starts, so every file's event comes through its watch
        // (files in a directory created after the watch are covered by the event for the directory itself,
        // which the runner scans recursively).
        var bulk = _dir.Combine("bulk");
        Directory.CreateDirectory(bulk);
        using var w = Start(TimeSpan.FromMilliseconds(50));
        // Flood the kernel queue (max_queued_events is 16384 here) faster than the event thread drains it.
        Parallel.For(0, 40_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => File.WriteAllBytes(Path.Combine(bulk, $"f{i}"), []));
        int Reported() => AllPaths().Count(p => p.StartsWith("bulk/", StringComparison.Ordinal));
        await Eventually.TrueAsync(() => _batches.Any(b => b.Batch.FullRescan) || Reported() == 40_000,
            TimeSpan.FromSeconds(60), "an overflow or every event");
    }
}
