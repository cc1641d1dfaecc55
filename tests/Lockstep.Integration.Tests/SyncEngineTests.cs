using System.Security.Cryptography;
using Lockstep.Integration.Tests.Support;
using Lockstep.Sync.Folders;
using Lockstep.Sync.Global;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>Real nodes pulling from each other over TLS on 127.0.0.1: every tree converges to the same bytes.</summary>
public sealed class SyncEngineTests : IAsyncLifetime
{
    private readonly List<TestNode> _nodes = new();
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
    }

    /// <summary>Nodes that all share folder "f" with each other, every one dialing every other.</summary>
    private async Task<TestNode[]> MeshAsync(int count, bool start = true)
    {
        var nodes = Enumerable.Range(0, count).Select(i => TestNode.Create(((char)('a' + i)).ToString())).ToArray();
        _nodes.AddRange(nodes);
        TestNode.Share("f", nodes);
        if (start)
            foreach (var node in nodes)
                await node.StartAsync();
        return nodes;
    }

    /// <summary>The folder's tree, or null while it changes under the walk (a file renamed or removed mid-snapshot).</summary>
    private static string? TryTree(TestNode node)
    {
        try
        {
            return TreeSnapshot.Take(node.FolderPath("f"));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static string Tree(TestNode node) => TryTree(node) ?? "(changing)";

    private static async Task ConvergedAsync(TestNode[] nodes, Func<string, bool> expect, string what)
    {
        try
        {
            await Eventually.TrueAsync(() =>
            {
                var trees = nodes.Select(TryTree).ToList();
                return trees.All(t => t is not null) && trees.Distinct().Count() == 1 && expect(trees[0]!);
            }, Patience, what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\n" + string.Join("\n----\n", nodes.Select(n =>
                $"{n.Id.Short} ({n.Host.Runners[0].State}; {n.Host.Runners[0].PausedReason ?? n.Host.Runners[0].Error}; " +
                $"{string.Join(" | ", n.Host.Runners[0].PullErrors.Select(p => p.Name + ": " + p.Message))}):\n" + Tree(n))));
        }
    }

    private static string P(TestNode node, string name) => Path.Combine(node.FolderPath("f"), name);

    [Fact]
    public async Task Three_nodes_converge_on_creates_edits_truncations_renames_deletes_symlinks_and_modes()
    {
        var (a, b, c) = await MeshAsync(3) is var n ? (n[0], n[1], n[2]) : default;
        var nodes = new[] { a, b, c };

        File.WriteAllText(P(a, "a1.txt"), "hello from a\n");
        File.SetUnixFileMode(P(a, "a1.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.CreateDirectory(P(a, "d"));
        File.WriteAllBytes(P(a, "d/x.bin"), RandomNumberGenerator.GetBytes(300 * 1024));
        File.CreateSymbolicLink(P(a, "link"), "a1.txt");
        File.WriteAllText(P(b, "from-b.txt"), "b");
        await ConvergedAsync(nodes, t => t.Contains("a1.txt 13") && t.Contains("d/x.bin 307200") && t.Contains("link -> a1.txt") && t.Contains("from-b.txt"),
            "creates on a and b to reach every node");
        Assert.Contains("a1.txt 13 ", Tree(c));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(P(c, "a1.txt")));

        File.AppendAllText(P(b, "a1.txt"), "appended on b\n");
        using (var f = File.OpenWrite(P(b, "d/x.bin")))
            f.SetLength(100 * 1024);
        File.Move(P(b, "from-b.txt"), P(b, "d/renamed.txt"));
        Directory.CreateDirectory(P(b, "e/f"));
        File.WriteAllText(P(b, "e/f/deep.txt"), "deep");
        await ConvergedAsync(nodes, t => t.Contains("a1.txt 27") && t.Contains("d/x.bin 102400") && t.Contains("d/renamed.txt") && !t.Contains("from-b.txt") && t.Contains("e/f/deep.txt"),
            "edits, a truncation, a rename and a new tree from b to reach every node");

        File.Delete(P(c, "a1.txt"));
        Directory.Delete(P(c, "e"), recursive: true);
        File.SetUnixFileMode(P(c, "d/x.bin"), (UnixFileMode)0x1ED); // 0755
        File.Delete(P(c, "link"));
        File.CreateSymbolicLink(P(c, "link"), "d/x.bin");
        await ConvergedAsync(nodes, t => !t.Contains("a1.txt") && !t.Contains("e/") && t.Contains("link -> d/x.bin") && t.Contains("d/x.bin 102400"),
            "deletes, a chmod and a re-pointed symlink from c to reach every node");
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(P(a, "d/x.bin")));
        foreach (var node in nodes)
            Assert.DoesNotContain(".syncthing.", Tree(node));
    }

    [Fact]
    public async Task A_renamed_file_moves_almost_no_bytes()
    {
        var (a, b) = await MeshAsync(2) is var n ? (n[0], n[1]) : default;
        File.WriteAllBytes(P(a, "big.bin"), RandomNumberGenerator.GetBytes(32 * 1024 * 1024));
        await ConvergedAsync([a, b], t => t.Contains("big.bin 33554432"), "the 32 MiB file to reach b");
        long before = b.Host.Runners[0].PullProgress.RequestedBytes;
        Assert.True(before >= 32L * 1024 * 1024, $"b requested only {before} bytes for the first copy");

        File.Move(P(a, "big.bin"), P(a, "moved.bin"));
        await ConvergedAsync([a, b], t => t.Contains("moved.bin 33554432") && !t.Contains("big.bin"), "the rename to reach b");
        long moved = b.Host.Runners[0].PullProgress.RequestedBytes - before;
        Assert.True(moved < 1024 * 1024, $"the rename requested {moved} bytes over the wire");
    }

    [Fact]
    public async Task Pulled_files_are_not_scanned_again_by_their_own_watcher_echo_but_a_later_local_edit_is()
    {
        var (a, b) = await MeshAsync(2) is var n ? (n[0], n[1]) : default;
        var runner = b.Host.Runners[0];
        // The runner starts Idle before its first scan is under way: wait for a finished scan, or that scan is counted.
        await Eventually.TrueAsync(() => runner.LastScan is not null && runner.State == FolderState.Idle, Patience, "b to finish its first scan");
        int scans = 0;
        runner.StateChanged += (_, next) =>
        {
            if (next == FolderState.Scanning)
                Interlocked.Increment(ref scans);
        };
        long droppedBefore = runner.OwnWriteEchoesDropped;

        const int count = 200;
        for (int i = 0; i < count; i++)
            File.WriteAllText(P(a, $"echo{i}.txt"), $"pulled {i}");
        await ConvergedAsync([a, b], t => t.Contains($"echo{count - 1}.txt"), "the files to reach b");
        // Every rename into place reaches b's watcher; each must be recognised as the pull's own write.
        await Eventually.TrueAsync(() => runner.OwnWriteEchoesDropped - droppedBefore >= count, Patience,
            $"b's watcher to drop the echoes of its {count} pulled files");
        Assert.Equal(0, Volatile.Read(ref scans));
        // The index holds each pulled file's inode as the disk has it (the temp file's, kept through the rename), so
        // the next scan takes them for unchanged.
        foreach (int i in new[] { 0, count / 2, count - 1 })
        {
            Assert.True(Lockstep.FileSystem.Native.NativeFile.TryLstat(P(b, $"echo{i}.txt"), out var onDisk, out _));
            Assert.Equal(onDisk.Inode, b.Host.Index!.Folder("f").GetInode($"echo{i}.txt"));
        }

        // A write of someone else's to a pulled file is still a change: scanned, recorded and sent back to a.
        File.WriteAllText(P(b, "echo7.txt"), "edited on b after the pull");
        await ConvergedAsync([a, b], t => t.Contains("echo7.txt 26 "), "b's edit to reach a");
        Assert.Equal("edited on b after the pull", File.ReadAllText(P(a, "echo7.txt")));
        Assert.True(Volatile.Read(ref scans) >= 1);
    }

    [Fact]
    public async Task Concurrent_edits_leave_one_winner_and_one_conflict_copy_on_every_node()
    {
        var (a, b) = await MeshAsync(2) is var n ? (n[0], n[1]) : default;
        File.WriteAllText(P(a, "c.txt"), "base");
        await ConvergedAsync([a, b], t => t.Contains("c.txt 4 "), "the base version to reach b");

        await b.StopAsync();
        File.WriteAllText(P(a, "c.txt"), "edited on a");
        File.SetLastWriteTimeUtc(P(a, "c.txt"), DateTime.UtcNow.AddMinutes(-10));
        await Eventually.TrueAsync(() => a.Host.Index!.Folder("f").GetLocal("c.txt")!.Size == 11, Patience, "a to record its edit");
        await a.StopAsync();
        await b.StartAsync();
        File.WriteAllText(P(b, "c.txt"), "edited on b, later");
        await Eventually.TrueAsync(() => b.Host.Index!.Folder("f").GetLocal("c.txt")!.Size == 18, Patience, "b to record its edit");
        await a.StartAsync();

        // The newer modification (b's) wins; a keeps its bytes as a copy named with the winner's ID.
        await ConvergedAsync([a, b], t => t.Contains(ConflictNames.Marker), "the conflict to be resolved alike on both");
        foreach (var node in new[] { a, b })
        {
            Assert.Equal("edited on b, later", File.ReadAllText(P(node, "c.txt")));
            var copies = Directory.GetFiles(node.FolderPath("f"), "c.sync-conflict-*.txt");
            var copy = Assert.Single(copies);
            Assert.EndsWith($"-{b.Id.Short}.txt", copy);
            Assert.Equal("edited on a", File.ReadAllText(copy));
        }
    }

    [Fact]
    public async Task A_pull_that_would_delete_most_files_pauses_until_a_person_allows_it()
    {
        var (a, b) = await MeshAsync(2) is var n ? (n[0], n[1]) : default;
        for (int i = 0; i < 10; i++)
            File.WriteAllText(P(a, $"file{i}.txt"), $"content {i}");
        await ConvergedAsync([a, b], t => t.Contains("file9.txt"), "ten files to reach b");

        for (int i = 0; i < 8; i++)
            File.Delete(P(a, $"file{i}.txt"));
        var runner = b.Host.Runners[0];
        await Eventually.TrueAsync(() => runner.State == FolderState.Paused, Patience, "b to pause at the delete limit");
        Assert.Contains("maxDeletePercent", runner.PausedReason);
        Assert.Equal(10, Directory.GetFiles(b.FolderPath("f"), "file*.txt").Length);

        await runner.ResumeAsync(allowDeletes: true);
        await ConvergedAsync([a, b], t => !t.Contains("file0.txt") && t.Contains("file9.txt"), "the deletes to be applied once allowed");
    }

    [Fact]
    public async Task A_folder_whose_marker_vanishes_stops_and_nothing_is_deleted_anywhere()
    {
        var (a, b) = await MeshAsync(2) is var n ? (n[0], n[1]) : default;
        for (int i = 0; i < 5; i++)
            File.WriteAllText(P(a, $"keep{i}.txt"), $"keep {i}");
        await ConvergedAsync([a, b], t => t.Contains("keep4.txt"), "the files to reach b");
        var before = Tree(a);

        // An unmounted volume: the marker and everything else gone at once.
        foreach (var entry in Directory.EnumerateFileSystemEntries(b.FolderPath("f")))
        {
            if (Directory.Exists(entry))
                Directory.Delete(entry, recursive: true);
            else
                File.Delete(entry);
        }
        var runner = b.Host.Runners[0];
        await runner.ScanAsync().ContinueWith(_ => { }); // the scan itself reports the error
        await Eventually.TrueAsync(() => runner.State == FolderState.Error, Patience, "b's folder to stop");
        Assert.Contains(".stfolder", runner.Error);
        // Give a's runner every chance to (wrongly) apply anything: a rescan and a pull.
        await a.Host.Runners[0].ScanAsync();
        a.Host.Runners[0].RequestPull();
        await a.Host.Runners[0].ScanAsync();
        Assert.Equal(before, Tree(a));
        Assert.Empty(Directory.EnumerateFileSystemEntries(b.FolderPath("f")));
    }

    [Fact]
    public async Task A_case_only_rename_and_a_mode_change_under_ignorePerms_converge()
    {
        var (a, b) = await MeshAsync(2, start: false) is var n ? (n[0], n[1]) : default;
        foreach (var node in new[] { a, b })
            node.Configure(c => c.WithFolder(c.Folders.Single() with { IgnorePerms = node == b }));
        await a.StartAsync();
        await b.StartAsync();
        File.WriteAllText(P(a, "readme.txt"), "case");
        File.SetUnixFileMode(P(a, "readme.txt"), (UnixFileMode)0x180); // 0600
        await Eventually.TrueAsync(() => File.Exists(P(b, "readme.txt")), Patience, "the file to reach b");
        // b ignores permissions: a new file gets the default mode, not a's 0600.
        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(P(b, "readme.txt")));

        File.Move(P(a, "readme.txt"), P(a, "README.txt"));
        await Eventually.TrueAsync(() => File.Exists(P(b, "README.txt")) && !File.Exists(P(b, "readme.txt")), Patience, "the case-only rename to reach b");
        Assert.Equal("case", File.ReadAllText(P(b, "README.txt")));

        // A chmod on a is not applied on b (ignorePerms), and b's own mode does not go back to a.
        File.SetUnixFileMode(P(a, "README.txt"), (UnixFileMode)0x1ED);
        await a.Host.Runners[0].ScanAsync();
        File.WriteAllText(P(a, "marker.txt"), "after the chmod");
        await Eventually.TrueAsync(() => File.Exists(P(b, "marker.txt")), Patience, "a later file to reach b");
        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(P(b, "README.txt")));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(P(a, "README.txt")));
    }
}
