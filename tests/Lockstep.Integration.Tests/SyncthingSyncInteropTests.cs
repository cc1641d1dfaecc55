using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Lockstep.FileSystem.Native;
using Lockstep.Integration.Tests.Support;
using Lockstep.Protocol.Identity;
using Lockstep.Testing;
using Xunit.Abstractions;

namespace Lockstep.Integration.Tests;

/// <summary>
/// Lockstep's puller against Debian's real Syncthing 1.19 on 127.0.0.1: files flow both ways with the same bytes,
/// sizes, nanosecond mtimes and modes; renames reuse local blocks; Syncthing reports the Lockstep node complete
/// (it re-announces what it pulled with the adopted version, bep-v1.md §6.1 d5); a concurrent edit ends with the
/// same winner and the same conflict copy on both (§5.5); and a mixed mesh of two Lockstep nodes and one Syncthing
/// converges. Syncthing's watcher stays off: the tests scan it over REST after each change, so nothing waits on a
/// watcher delay.
/// </summary>
public sealed class SyncthingSyncInteropTests : IAsyncLifetime
{
    private const string F = "f";
    private const long BigSize = 64L * 1024 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _output;
    private readonly TempDirectory _dir = new("st-sync");
    private readonly List<TestNode> _lockstep = new();
    private readonly List<SyncthingNode> _syncthing = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public SyncthingSyncInteropTests(ITestOutputHelper output) => _output = output;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        try
        {
            // All at once: each clean stop takes a second or two. Disposing a Syncthing node twice (after a restart) is fine.
            await Task.WhenAll(_lockstep.Select(n => n.DisposeAsync().AsTask()).Concat(_syncthing.Select(n => n.DisposeAsync().AsTask())));
        }
        finally
        {
            _dir.Dispose();
        }
    }

    // ------------------------------------------------------------------ tests

    [Fact]
    public async Task Syncthing_to_lockstep_a_thousand_files_and_64_MiB_arrive_exactly_then_a_modify_delete_and_rename()
    {
        var stHome = _dir.Combine("st-home");
        var stId = DeviceId.Parse(await Syncthing.GenerateAsync(stHome));
        var stFolder = _dir.Combine("st-f");
        var names = WriteTree(stFolder, seed: 1);

        var ls = NewLockstep("ls");
        int stPort = FreePort.Next();
        ls.AddDevice(stId, "st", $"tcp://127.0.0.1:{stPort}"); // Lockstep dials; Syncthing only accepts
        ls.AddFolder(F, stId);
        var st = await StartSyncthingAsync(new SyncthingOptions
        {
            Home = stHome, ListenPort = stPort,
            Folders = [new SyncthingFolder(F) { Path = stFolder }],
            Devices = [new SyncthingDevice(ls.Id.ToString()) { Name = "ls" }],
        });
        await ls.StartAsync();
        var lsFolder = ls.FolderPath(F);
        var runner = ls.Host.Runners[0];

        await ConvergedAsync([stFolder, lsFolder], t => t.Contains($"\nbig/random.bin {BigSize} ") && t.Contains("\nlinks/to-top -> ../top-0000.txt") && CountFiles(t) == names.Count,
            "Syncthing's 1,000 files and 64 MiB file to reach Lockstep", [ls], [st]);
        Log("initial tree pulled by Lockstep");
        Assert.True(runner.PullProgress.RequestedBytes >= BigSize,
            $"Lockstep requested only {runner.PullProgress.RequestedBytes} bytes for a tree of more than {BigSize}");
        await CompleteAsync(st, ls, "Lockstep");
        // Lockstep adopted Syncthing's versions as they are: nothing of its own to announce, nothing for Syncthing to pull.
        var lsIndex = ls.Host.Index!.Folder(F);
        var own = lsIndex.EnumerateLocal().Where(f => f.ModifiedBy != stId.Short).Select(f => f.Name).Take(5).ToList();
        Assert.True(own.Count == 0, $"Lockstep re-versioned pulled items as its own changes: {string.Join(", ", own)}");
        var rescan = await runner.ScanAsync();
        Assert.True(rescan.Changed == 0 && rescan.Deleted == 0,
            $"a rescan of what Lockstep pulled found {rescan.Changed} changed and {rescan.Deleted} deleted items");
        Assert.Equal(0L, (await st.Rest.GetFolderStatusAsync(F)).NeedTotalItems);

        // On Syncthing: modify a file, delete a file and a directory, rename the 64 MiB file into a new directory.
        long requestedBefore = runner.PullProgress.RequestedBytes;
        var modified = names[5];
        var newText = "modified on syncthing, now longer than before\n" + new string('x', 5000);
        File.WriteAllText(Path.Combine(stFolder, modified), newText);
        File.Delete(Path.Combine(stFolder, names[6]));
        Directory.Delete(Path.Combine(stFolder, "dir9", "sub2"), recursive: true);
        Directory.CreateDirectory(Path.Combine(stFolder, "moved"));
        File.Move(Path.Combine(stFolder, "big", "random.bin"), Path.Combine(stFolder, "moved", "renamed.bin"));
        await st.Rest.ScanAsync(F);

        await ConvergedAsync([stFolder, lsFolder],
            t => t.Contains($"\nmoved/renamed.bin {BigSize} ") && !t.Contains("big/random.bin") && !t.Contains(names[6]) && !t.Contains("dir9/sub2")
                 && t.Contains($"\n{modified} {newText.Length} "),
            "Syncthing's modify, deletes and rename to reach Lockstep", [ls], [st]);
        Log("changes pulled by Lockstep");
        long renameBytes = runner.PullProgress.RequestedBytes - requestedBefore;
        Assert.True(renameBytes < 1024 * 1024, $"the modify + rename requested {renameBytes} bytes over the wire; a rename should reuse the local blocks");
        await CompleteAsync(st, ls, "Lockstep after the changes");
        Assert.Empty(runner.PullErrors);
    }

    [Fact]
    public async Task Lockstep_to_syncthing_a_thousand_files_and_64_MiB_arrive_exactly_then_a_modify_delete_and_rename()
    {
        var stHome = _dir.Combine("st-home");
        var stId = DeviceId.Parse(await Syncthing.GenerateAsync(stHome));
        var stFolder = _dir.Combine("st-f");
        Directory.CreateDirectory(stFolder);

        var ls = NewLockstep("ls");
        ls.AddDevice(stId, "st", null); // Syncthing dials us this time
        ls.AddFolder(F, stId);
        var lsFolder = ls.FolderPath(F);
        var names = WriteTree(lsFolder, seed: 2);
        await ls.StartAsync();
        var st = await StartSyncthingAsync(new SyncthingOptions
        {
            Home = stHome,
            Folders = [new SyncthingFolder(F) { Path = stFolder }],
            Devices = [new SyncthingDevice(ls.Id.ToString()) { Name = "ls", Addresses = [ls.Address] }],
        });

        await ConvergedAsync([lsFolder, stFolder], t => t.Contains($"\nbig/random.bin {BigSize} ") && t.Contains("\nlinks/to-top -> ../top-0000.txt") && CountFiles(t) == names.Count,
            "Lockstep's 1,000 files and 64 MiB file to reach Syncthing", [ls], [st]);
        Log("initial tree pulled by Syncthing");
        await st.WaitForFolderIdleAsync(F, names.Count, Patience);
        await CompleteAsync(st, ls, "Lockstep");
        var big = await st.Rest.GetFileAsync(F, "big/random.bin");
        Assert.Equal(ls.Id.Short.ToString(), big!.Local!.ModifiedBy);
        Assert.Equal(big.Global!.Version, big.Local.Version);
        // What Syncthing wrote matches what we announced (mtime, mode, size): its own rescan finds nothing new.
        long stSequence = (await st.Rest.GetFolderStatusAsync(F)).Sequence;
        await st.Rest.ScanAsync(F);
        Assert.Equal(stSequence, (await st.Rest.GetFolderStatusAsync(F)).Sequence);

        // On Lockstep (its watcher picks these up): modify a file, delete a file and a directory, rename the 64 MiB file.
        long stInBefore = (await st.Rest.GetConnectionAsync(ls.Id.ToString()))!.InBytesTotal;
        var modified = names[5];
        var newText = "modified on lockstep, now longer than before\n" + new string('y', 5000);
        File.WriteAllText(Path.Combine(lsFolder, modified), newText);
        File.Delete(Path.Combine(lsFolder, names[6]));
        Directory.Delete(Path.Combine(lsFolder, "dir9", "sub2"), recursive: true);
        Directory.CreateDirectory(Path.Combine(lsFolder, "moved"));
        File.Move(Path.Combine(lsFolder, "big", "random.bin"), Path.Combine(lsFolder, "moved", "renamed.bin"));

        await ConvergedAsync([lsFolder, stFolder],
            t => t.Contains($"\nmoved/renamed.bin {BigSize} ") && !t.Contains("big/random.bin") && !t.Contains(names[6]) && !t.Contains("dir9/sub2")
                 && t.Contains($"\n{modified} {newText.Length} "),
            "Lockstep's modify, deletes and rename to reach Syncthing", [ls], [st]);
        Log("changes pulled by Syncthing");
        await st.WaitForFolderIdleAsync(F, timeout: Patience);
        await CompleteAsync(st, ls, "Lockstep after the changes");
        long stIn = (await st.Rest.GetConnectionAsync(ls.Id.ToString()))!.InBytesTotal - stInBefore;
        Assert.True(stIn < 4 * 1024 * 1024, $"Syncthing received {stIn} bytes for a small modify and a rename: our renamed file's blocks should match its old ones");
        Assert.Equal(0L, ls.Host.Runners[0].PullProgress.RequestedBytes); // Lockstep had nothing to pull
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_file_edited_on_both_sides_while_apart_ends_with_the_same_winner_and_conflict_copy_on_both(bool lockstepWins)
    {
        var stHome = _dir.Combine("st-home");
        var stId = DeviceId.Parse(await Syncthing.GenerateAsync(stHome));
        var stFolder = _dir.Combine("st-f");
        Directory.CreateDirectory(stFolder);
        var ls = NewLockstep("ls");
        int stPort = FreePort.Next();
        ls.AddDevice(stId, "st", $"tcp://127.0.0.1:{stPort}"); // both dial: whoever starts last connects at once
        ls.AddFolder(F, stId);
        var lsFolder = ls.FolderPath(F);
        File.WriteAllText(Path.Combine(lsFolder, "c.txt"), "base version\n");
        File.WriteAllText(Path.Combine(lsFolder, "other.txt"), "untouched\n");
        var options = new SyncthingOptions
        {
            Home = stHome, ListenPort = stPort,
            Folders = [new SyncthingFolder(F) { Path = stFolder }],
            Devices = [new SyncthingDevice(ls.Id.ToString()) { Name = "ls", Addresses = [ls.Address] }],
        };
        await ls.StartAsync();
        var st = await StartSyncthingAsync(options);
        await ConvergedAsync([lsFolder, stFolder], t => t.Contains("\nc.txt 13 ") && t.Contains("\nother.txt "), "the base version to reach Syncthing", [ls], [st]);
        await CompleteAsync(st, ls, "Lockstep with the base version");
        await st.WaitForFolderIdleAsync(F, 2, Patience);

        const string lsBytes = "edited on lockstep\n", stBytes = "edited on syncthing, a different length\n";
        var lsIndex = () => ls.Host.Index!.Folder(F).GetLocal("c.txt");
        async Task EditOnLockstepAsync(bool older)
        {
            var path = Path.Combine(lsFolder, "c.txt");
            File.WriteAllText(path, lsBytes);
            if (older)
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-10));
            // The watcher may scan between the write and the mtime change: wait for the index to hold both.
            NativeFile.TryLstat(path, out var disk, out _);
            await Eventually.TrueAsync(() => lsIndex() is { } f && f.Size == lsBytes.Length && f.ModifiedS == disk.ModifiedS && f.ModifiedNs == disk.ModifiedNs,
                Patience, "Lockstep to record its edit");
        }
        async Task EditOnSyncthingAsync(bool older)
        {
            var path = Path.Combine(stFolder, "c.txt");
            File.WriteAllText(path, stBytes);
            if (older)
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-10));
            await st.Rest.ScanAsync(F, "c.txt");
            await st.WaitForAsync(() => st.Rest.GetFileAsync(F, "c.txt"), f => f?.Local?.Size == stBytes.Length, Patience, "Syncthing to record its edit");
        }

        // The loser edits first with an older mtime while the winner is down; then the winner edits while the loser is down.
        if (lockstepWins)
        {
            await ls.StopAsync();
            await EditOnSyncthingAsync(older: true);
            await st.StopAsync();
            await ls.StartAsync();
            await EditOnLockstepAsync(older: false);
            st = await StartSyncthingAsync(options);
        }
        else
        {
            await st.StopAsync();
            await EditOnLockstepAsync(older: true);
            await ls.StopAsync();
            st = await StartSyncthingAsync(options);
            await EditOnSyncthingAsync(older: false);
            await ls.StartAsync();
        }
        Log("both edited; both running again");

        var winner = lockstepWins ? ls.Id.Short.ToString() : stId.Short.ToString();
        var (winnerBytes, loserBytes) = lockstepWins ? (lsBytes, stBytes) : (stBytes, lsBytes);
        var copyName = new Regex(@"^c\.sync-conflict-\d{8}-\d{6}-" + winner + @"\.txt$");
        await ConvergedAsync([lsFolder, stFolder], t => t.Contains(".sync-conflict-") && t.Contains($"\nc.txt {winnerBytes.Length} "),
            "the conflict to be resolved alike on both", [ls], [st]);
        foreach (var root in new[] { lsFolder, stFolder })
        {
            Assert.Equal(winnerBytes, File.ReadAllText(Path.Combine(root, "c.txt")));
            var copies = Directory.GetFiles(root, "*.sync-conflict-*").Select(Path.GetFileName).ToList();
            var copy = Assert.Single(copies);
            Assert.Matches(copyName, copy);
            Assert.Equal(loserBytes, File.ReadAllText(Path.Combine(root, copy!)));
        }
        Assert.Equal(Directory.GetFiles(lsFolder, "*.sync-conflict-*").Select(Path.GetFileName), Directory.GetFiles(stFolder, "*.sync-conflict-*").Select(Path.GetFileName));
        await st.WaitForFolderIdleAsync(F, 3, Patience);
        await CompleteAsync(st, ls, "Lockstep after the conflict");
        Assert.Empty(ls.Host.Runners[0].PullErrors);
    }

    [Fact]
    public async Task Two_lockstep_nodes_and_a_syncthing_sharing_one_folder_converge_on_each_ones_changes()
    {
        var stHome = _dir.Combine("st-home");
        var stId = DeviceId.Parse(await Syncthing.GenerateAsync(stHome));
        var stFolder = _dir.Combine("st-f");
        Directory.CreateDirectory(stFolder);
        int stPort = FreePort.Next();
        var a = NewLockstep("a");
        var b = NewLockstep("b");
        a.AddDevice(b);
        b.AddDevice(a);
        foreach (var node in new[] { a, b })
        {
            node.AddDevice(stId, "st", $"tcp://127.0.0.1:{stPort}");
            node.AddFolder(F, node == a ? b.Id : a.Id, stId);
        }
        var st = await StartSyncthingAsync(new SyncthingOptions
        {
            Home = stHome, ListenPort = stPort,
            Folders = [new SyncthingFolder(F) { Path = stFolder }],
            Devices = [new SyncthingDevice(a.Id.ToString()) { Name = "a" }, new SyncthingDevice(b.Id.ToString()) { Name = "b" }],
        });
        await a.StartAsync();
        await b.StartAsync();
        await st.WaitForConnectionAsync(a.Id.ToString(), Patience);
        await st.WaitForConnectionAsync(b.Id.ToString(), Patience);
        await Eventually.TrueAsync(() => a.Host.Peers!.IsConnected(b.Id), Patience, "a and b to connect");
        Log("mesh connected");

        string[] roots = [a.FolderPath(F), b.FolderPath(F), stFolder];
        var random = new Random(4);
        WriteFile(roots[0], "from-a/multi.bin", RandomBytes(random, 1_000_000));
        WriteFile(roots[0], "from-a/note.txt", "a's note\n"u8.ToArray());
        WriteFile(roots[1], "from-b/deep/er/note.txt", "b's note\n"u8.ToArray());
        WriteFile(roots[1], "from-b/empty", []);
        WriteFile(roots[2], "from-st/note.txt", "syncthing's note\n"u8.ToArray());
        WriteFile(roots[2], "from-st/sub/data.bin", RandomBytes(random, 300_000));
        File.SetUnixFileMode(Path.Combine(roots[2], "from-st/note.txt"), (UnixFileMode)0x180); // 0600
        await st.Rest.ScanAsync(F);
        await ConvergedAsync(roots,
            t => t.Contains("\nfrom-a/multi.bin 1000000 ") && t.Contains("\nfrom-b/deep/er/note.txt ") && t.Contains("\nfrom-b/empty 0 ")
                 && t.Contains("\nfrom-st/note.txt ") && t.Contains("\nfrom-st/sub/data.bin 300000 "),
            "each node's new files to reach the other two", [a, b], [st]);
        Log("creates converged");

        // A second round, each touching what another made: Syncthing edits a's note, a deletes b's, b renames Syncthing's.
        const string edited = "a's note, edited on syncthing\n";
        File.WriteAllText(Path.Combine(roots[2], "from-a/note.txt"), edited);
        await st.Rest.ScanAsync(F);
        File.Delete(Path.Combine(roots[0], "from-b/deep/er/note.txt"));
        File.Move(Path.Combine(roots[1], "from-st/sub/data.bin"), Path.Combine(roots[1], "from-st/data-renamed.bin"));
        await ConvergedAsync(roots,
            t => t.Contains($"\nfrom-a/note.txt {edited.Length} ") && !t.Contains("from-b/deep/er/note.txt") && t.Contains("\nfrom-st/data-renamed.bin 300000 ")
                 && !t.Contains("from-st/sub/data.bin"),
            "an edit, a delete and a rename, each from a different node, to reach every node", [a, b], [st]);
        Log("changes converged");
        await st.WaitForFolderIdleAsync(F, timeout: Patience);
        await CompleteAsync(st, a, "a");
        await CompleteAsync(st, b, "b");
        Assert.Empty(a.Host.Runners[0].PullErrors);
        Assert.Empty(b.Host.Runners[0].PullErrors);
    }

    /// <summary>
    /// bep-v1.md §5.7 and §6.1 (c)3: our Requests carry weak_hash 0 so that Syncthing checks the SHA-256 of what it
    /// reads. A file changed on Syncthing's disk behind its index (same size and mtime, one block altered so that its
    /// Adler-32 stays the same) is then refused with NO_SUCH_FILE, Syncthing rescans it, and Lockstep pulls the new
    /// version. Were the weak hash sent, Syncthing would trust it, serve the altered bytes without a rescan, and the
    /// pull would fail until Syncthing's next periodic rescan (an hour here).
    /// </summary>
    [Fact]
    public async Task A_block_changed_behind_syncthings_index_is_refused_and_rescanned_by_syncthing_then_pulled()
    {
        var stHome = _dir.Combine("st-home");
        var stId = DeviceId.Parse(await Syncthing.GenerateAsync(stHome));
        var stFolder = _dir.Combine("st-f");
        var data = RandomBytes(new Random(5), 300_000); // blocks of 131072, 131072, 37856
        const int i = 1000, j = 5000;
        data[i] = data[i + 1] = data[j] = data[j + 1] = 10;
        WriteFile(stFolder, "w.bin", data);
        WriteFile(stFolder, "x.txt", "another file\n"u8.ToArray());
        var ls = NewLockstep("ls");
        int stPort = FreePort.Next();
        ls.AddDevice(stId, "st", $"tcp://127.0.0.1:{stPort}");
        ls.AddFolder(F, stId);
        var st = await StartSyncthingAsync(new SyncthingOptions
        {
            Home = stHome, ListenPort = stPort,
            Folders = [new SyncthingFolder(F) { Path = stFolder }],
            Devices = [new SyncthingDevice(ls.Id.ToString()) { Name = "ls" }],
        });
        await st.WaitForFolderIdleAsync(F, 2, Patience);

        // +1, -1 at i, i+1 and -1, +1 at j, j+1: the byte sum and the weighted sum, so the Adler-32, stay the same.
        var path = Path.Combine(stFolder, "w.bin");
        NativeFile.TryLstat(path, out var before, out _);
        uint weak = Adler32(data.AsSpan(0, 131_072));
        data[i]++;
        data[i + 1]--;
        data[j]--;
        data[j + 1]++;
        Assert.Equal(weak, Adler32(data.AsSpan(0, 131_072)));
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write))
            RandomAccess.Write(handle, data.AsSpan(0, 131_072), 0);
        NativeFile.SetModified(path, before.ModifiedS, before.ModifiedNs);

        await ls.StartAsync();
        await ConvergedAsync([stFolder, ls.FolderPath(F)], t => t.Contains("\nw.bin 300000 ") && t.Contains("\nx.txt "),
            "Syncthing to refuse the stale block, rescan w.bin, and Lockstep to pull the new version", [ls], [st]);
        await CompleteAsync(st, ls, "Lockstep");
    }

    /// <summary>
    /// The mirror case, Lockstep serving: a file changed on Lockstep's disk behind its index (same size, mtime and
    /// inode, one block's bytes altered, as an in-place rewrite that restores the mtime or a flipped bit would do) is
    /// refused to Syncthing (NO_SUCH_FILE, §5.8), Lockstep re-hashes it and announces the new version, and Syncthing
    /// pulls that.
    /// </summary>
    [Fact]
    public async Task A_block_changed_behind_locksteps_index_is_refused_and_rehashed_by_lockstep_then_pulled_by_syncthing()
    {
        var stHome = _dir.Combine("st-home");
        var stId = DeviceId.Parse(await Syncthing.GenerateAsync(stHome));
        var stFolder = _dir.Combine("st-f");
        Directory.CreateDirectory(stFolder);
        var ls = NewLockstep("ls");
        ls.AddDevice(stId, "st", null);
        ls.AddFolder(F, stId);
        var lsFolder = ls.FolderPath(F);
        var data = RandomBytes(new Random(6), 300_000);
        WriteFile(lsFolder, "w.bin", data);
        WriteFile(lsFolder, "x.txt", "another file\n"u8.ToArray());
        await ls.StartAsync();
        await Eventually.TrueAsync(() => ls.Host.Index!.Folder(F).GetLocal("w.bin") is not null && ls.Host.Runners[0].State == Lockstep.Sync.Folders.FolderState.Idle,
            Patience, "Lockstep to index w.bin");

        var path = Path.Combine(lsFolder, "w.bin");
        NativeFile.TryLstat(path, out var before, out _);
        data[1000] ^= 0xFF;
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write))
            RandomAccess.Write(handle, data.AsSpan(1000, 1), 1000);
        NativeFile.SetModified(path, before.ModifiedS, before.ModifiedNs);
        await ls.Host.Runners[0].ScanAsync(); // what a watcher event or a periodic rescan would do: metadata unchanged

        var st = await StartSyncthingAsync(new SyncthingOptions
        {
            Home = stHome,
            Folders = [new SyncthingFolder(F) { Path = stFolder }],
            Devices = [new SyncthingDevice(ls.Id.ToString()) { Name = "ls", Addresses = [ls.Address] }],
        });
        await ConvergedAsync([lsFolder, stFolder], t => t.Contains("\nw.bin 300000 ") && t.Contains("\nx.txt "),
            "Lockstep to refuse the stale block and re-hash w.bin, and Syncthing to pull the new version", [ls], [st]);
        await st.WaitForFolderIdleAsync(F, 2, Patience);
    }

    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        foreach (var x in data)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }
        return (b << 16) | a;
    }

    // ------------------------------------------------------------------ setup helpers

    private TestNode NewLockstep(string name)
    {
        var node = TestNode.Create(name);
        _lockstep.Add(node);
        return node;
    }

    private async Task<SyncthingNode> StartSyncthingAsync(SyncthingOptions options)
    {
        var node = await SyncthingNode.StartAsync(options);
        _syncthing.Add(node);
        Log($"started {node}");
        return node;
    }

    private void Log(string message) => _output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {message}");

    private static byte[] RandomBytes(Random random, int size)
    {
        var data = new byte[size];
        random.NextBytes(data);
        return data;
    }

    private static void WriteFile(string root, string name, byte[] content)
    {
        var full = Path.Combine(root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
    }

    /// <summary>
    /// 1,000 small files (one empty) over 31 directories at two levels plus the root, with modes 0600/0644/0755 and
    /// mtimes with nanoseconds in the past, one directory 0700, a 64 MiB random file <c>big/random.bin</c> (0640) and a
    /// symlink <c>links/to-top</c>. Returns the regular files' names in creation order.
    /// </summary>
    private static List<string> WriteTree(string root, int seed)
    {
        var random = new Random(seed);
        var names = new List<string>();
        long baseTime = new DateTimeOffset(2024, 3, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        for (int i = 0; i < 1000; i++)
        {
            var name = i % 50 == 0 ? $"top-{i:D4}.txt" : $"dir{i % 10}/sub{i % 3}/file-{i:D4}.dat";
            var data = new byte[i == 1 ? 0 : random.Next(1, 4096)];
            random.NextBytes(data);
            WriteFile(root, name, data);
            var full = Path.Combine(root, name);
            File.SetUnixFileMode(full, (UnixFileMode)(i % 7 == 0 ? 0x180 : i % 11 == 0 ? 0x1ED : 0x1A4)); // 0600, 0755, 0644
            NativeFile.SetModified(full, baseTime + i * 37, random.Next(0, 1_000_000_000));
            names.Add(name);
        }
        File.SetUnixFileMode(Path.Combine(root, "dir3"), (UnixFileMode)0x1C0); // 0700
        var big = new byte[BigSize];
        random.NextBytes(big);
        WriteFile(root, "big/random.bin", big);
        File.SetUnixFileMode(Path.Combine(root, "big/random.bin"), (UnixFileMode)0x1A0); // 0640
        NativeFile.SetModified(Path.Combine(root, "big/random.bin"), baseTime - 86_400, 123_456_789);
        names.Add("big/random.bin");
        Directory.CreateDirectory(Path.Combine(root, "links"));
        File.CreateSymbolicLink(Path.Combine(root, "links", "to-top"), "../top-0000.txt");
        return names;
    }

    // ------------------------------------------------------------------ waiting and comparing

    /// <summary>
    /// Waits until every tree is the same (names, types, sizes, ns mtimes, modes, and then SHA-256 of the bytes) and
    /// <paramref name="expect"/> holds for it; on timeout, says how the trees differ and what each node reports.
    /// </summary>
    private async Task ConvergedAsync(string[] roots, Func<string, bool> expect, string what, TestNode[] lockstep, SyncthingNode[] syncthing)
    {
        var sw = Stopwatch.StartNew();
        var hashes = new Dictionary<(string, long, long, int, ulong), string>();
        while (true)
        {
            foreach (var s in syncthing)
                if (s.HasExited)
                    throw new InvalidOperationException($"{s} exited while waiting for {what}\n{s.LogTail()}");
            var meta = roots.Select(r => Tree(r)).ToList();
            if (meta.All(t => t is not null) && meta.Distinct().Count() == 1 && expect(meta[0]!))
            {
                // The metadata agrees: the content must too (a file is renamed into place only once complete).
                var full = roots.Select(r => Tree(r, hashes)).ToList();
                if (full.All(t => t is not null) && full.Distinct().Count() == 1)
                {
                    Log($"converged: {what} ({sw.Elapsed.TotalSeconds:F1} s)");
                    return;
                }
            }
            if (sw.Elapsed > Patience)
                throw new TimeoutException(await DescribeAsync($"timed out after {Patience.TotalSeconds:F0} s waiting for {what}", roots, lockstep, syncthing));
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until Syncthing reports the Lockstep node 100 % complete: it holds every global item at the global version.</summary>
    private async Task CompleteAsync(SyncthingNode st, TestNode ls, string who)
    {
        try
        {
            await st.WaitForAsync(() => st.Rest.GetCompletionAsync(F, ls.Id.ToString()), c => c.IsComplete, Patience,
                $"Syncthing to report {who} complete in folder {F}");
        }
        catch (TimeoutException e)
        {
            string need;
            try
            {
                need = (await st.Rest.GetRemoteNeedAsync(F, ls.Id.ToString())).GetRawText();
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
            {
                need = ex.Message;
            }
            throw new TimeoutException($"{e.Message}\n--- what Syncthing thinks {who} still needs\n{Truncate(need, 4000)}\n--- lockstep\n{NodeReport(ls)}", e);
        }
    }

    private static async Task<string> DescribeAsync(string headline, string[] roots, TestNode[] lockstep, SyncthingNode[] syncthing)
    {
        var text = new StringBuilder(headline).Append('\n');
        var trees = roots.Select(r => Tree(r) ?? "(changing)").ToList();
        for (int i = 1; i < trees.Count; i++)
        {
            var first = trees[0].Split('\n').ToHashSet();
            var other = trees[i].Split('\n').ToHashSet();
            text.Append($"--- only in {roots[0]} (vs {roots[i]}):\n").AppendJoin('\n', first.Except(other).Take(15)).Append('\n');
            text.Append($"--- only in {roots[i]}:\n").AppendJoin('\n', other.Except(first).Take(15)).Append('\n');
        }
        foreach (var node in lockstep)
            text.Append(NodeReport(node)).Append('\n');
        foreach (var s in syncthing)
        {
            string status;
            try
            {
                status = (await s.Rest.GetFolderStatusAsync(F)).ToString();
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutException or InvalidOperationException or ObjectDisposedException)
            {
                status = e.Message;
            }
            text.Append($"--- {s}: {status}\n{s.LogTail(40)}\n");
        }
        return text.ToString();
    }

    private static string NodeReport(TestNode node)
    {
        try
        {
            var r = node.Host.Runners[0];
            var p = r.PullProgress;
            return $"--- lockstep {node.Id.Short}: {r.State} {r.PausedReason ?? r.Error}; pull {p.DoneItems}/{p.NeedItems} items, requested {p.RequestedBytes} B, " +
                   $"copied {p.CopiedBytes} B; errors: {string.Join(" | ", r.PullErrors.Take(10).Select(e => e.Name + ": " + e.Message))}\n" +
                   Truncate(string.Join('\n', node.Logs.ToString().Split('\n').TakeLast(40)), 8000);
        }
        catch (InvalidOperationException e)
        {
            return $"--- lockstep {node.Id.Short}: {e.Message}";
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    private static int CountFiles(string tree) => tree.Split('\n').Count(l => l.Length > 0 && !l.Contains("/ ") && !l.Contains(" -> "));

    /// <summary>
    /// One line per entry below <paramref name="root"/> except the <c>.stfolder</c> marker, sorted; starts with a newline
    /// so every entry can be matched as "\nNAME ". Files: name, size, mtime (s.ns), mode, and with
    /// <paramref name="hashes"/> the SHA-256 (cached there by path, size, mtime and inode). Directories: name/ and mode
    /// (their mtimes move with their contents, so are not compared). Null while the tree changes under the walk.
    /// </summary>
    private static string? Tree(string root, Dictionary<(string, long, long, int, ulong), string>? hashes = null)
    {
        var lines = new List<string>();
        try
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
            {
                var rel = Path.GetRelativePath(root, path);
                if (rel == ".stfolder" || rel.StartsWith(".stfolder/", StringComparison.Ordinal))
                    continue;
                if (!NativeFile.TryLstat(path, out var stat, out _))
                    return null;
                string mode = Convert.ToString(stat.Permissions, 8);
                if (stat.IsSymlink)
                    lines.Add($"{rel} -> {new System.IO.FileInfo(path).LinkTarget}");
                else if (stat.IsDirectory)
                    lines.Add($"{rel}/ {mode}");
                else
                {
                    string hash = "";
                    if (hashes is not null)
                    {
                        var key = (path, stat.Size, stat.ModifiedS, stat.ModifiedNs, stat.Inode);
                        if (!hashes.TryGetValue(key, out hash!))
                            hashes[key] = hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))[..16];
                    }
                    lines.Add($"{rel} {stat.Size} {stat.ModifiedS}.{stat.ModifiedNs:D9} {mode} {hash}");
                }
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        lines.Sort(StringComparer.Ordinal);
        return "\n" + string.Join('\n', lines);
    }
}
