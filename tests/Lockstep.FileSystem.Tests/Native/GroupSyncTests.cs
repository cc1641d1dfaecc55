using Lockstep.FileSystem.Native;
using Lockstep.Testing;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.FileSystem.Tests.Native;

/// <summary>
/// The group commit of fsyncs (GroupSync): a lone file gets its own fsync; files that arrive while a sync runs go
/// together with one syncfs and one fsync; when that fails every member is synced alone and gets its own verdict (a
/// full disk stays recognisable); and with the real system calls, files written at once all become durable.
/// </summary>
public sealed class GroupSyncTests : IDisposable
{
    private readonly TempDirectory _dir = new("lockstep-groupsync");

    public void Dispose() => _dir.Dispose();

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Stand-ins for files: distinct handle values, never closed (nothing real is opened).</summary>
    private static SafeFileHandle Fake(int n) => new((IntPtr)(1000 + n), ownsHandle: false);

    private const ulong Device = 42;

    private static ulong DeviceOf(SafeFileHandle handle) =>
        NativeFile.TryFstat(handle, out var stat, out _) ? stat.Device : throw new IOException("fstat failed");

    /// <summary>Starts file 0's sync (held by the fake fsync until released) and queues the given files behind it.</summary>
    private static (Task First, List<Task> Queued) QueueBehindFirst(GroupSync sync, ManualResetEventSlim entered,
        IEnumerable<(int N, ulong Device)> files)
    {
        var first = sync.SyncAsync(Fake(0), "f0", Device);
        Assert.True(entered.Wait(Timeout), "the first sync did not start");
        return (first, files.Select(f => sync.SyncAsync(Fake(f.N), $"f{f.N}", f.Device)).ToList());
    }

    private sealed class Calls
    {
        public readonly List<int> Fsyncs = new();
        public int SyncFs;

        /// <summary>A fake fsync that records each file and holds the first one's (1000) until released, so the next ones queue.</summary>
        public Func<SafeFileHandle, int> HoldingFirst(ManualResetEventSlim entered, ManualResetEventSlim release) => h =>
        {
            lock (Fsyncs)
                Fsyncs.Add((int)h.DangerousGetHandle());
            if ((int)h.DangerousGetHandle() == 1000)
            {
                entered.Set();
                release.Wait(Timeout);
            }
            return 0;
        };

        public int CountSyncFs(SafeFileHandle _)
        {
            Interlocked.Increment(ref SyncFs);
            return 0;
        }
    }

    [Fact]
    public async Task A_lone_file_is_synced_alone_with_fsync()
    {
        var calls = new Calls();
        var sync = new GroupSync(h => { lock (calls) calls.Fsyncs.Add((int)h.DangerousGetHandle()); return 0; },
            _ => { Interlocked.Increment(ref calls.SyncFs); return 0; });

        await sync.SyncAsync(Fake(1), "a", Device).WaitAsync(Timeout);
        await sync.SyncAsync(Fake(2), "b", Device).WaitAsync(Timeout);

        Assert.Equal([1001, 1002], calls.Fsyncs);
        Assert.Equal(0, calls.SyncFs);
        Assert.Equal(0, sync.Groups);
    }

    [Fact]
    public async Task Files_that_arrive_while_a_sync_runs_go_together_with_one_syncfs_and_one_fsync()
    {
        var calls = new Calls();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var sync = new GroupSync(calls.HoldingFirst(entered, release), calls.CountSyncFs);

        var (first, rest) = QueueBehindFirst(sync, entered, Enumerable.Range(1, 9).Select(i => (i, Device)));
        Assert.All(rest, t => Assert.False(t.IsCompleted)); // nobody is durable before their sync
        release.Set();
        await Task.WhenAll(rest.Append(first)).WaitAsync(Timeout);

        Assert.Equal(1, calls.SyncFs);
        Assert.Equal([1000, 1001], calls.Fsyncs); // the lone first file, then the group's flush through its first member
        Assert.Equal(1, sync.Groups);
        Assert.Equal(9, sync.Grouped);
    }

    [Fact]
    public async Task Only_files_of_one_known_filesystem_are_synced_together()
    {
        var calls = new Calls();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var sync = new GroupSync(calls.HoldingFirst(entered, release), calls.CountSyncFs);

        // Two on our filesystem, one on another (a mount inside the folder), two whose filesystem is unknown.
        var (first, rest) = QueueBehindFirst(sync, entered, [(1, Device), (2, Device), (3, Device + 1), (4, 0UL), (5, 0UL)]);
        release.Set();
        await Task.WhenAll(rest.Append(first)).WaitAsync(Timeout);

        Assert.Equal(1, calls.SyncFs);
        Assert.Equal(1, sync.Groups);
        Assert.Equal(2, sync.Grouped);
        Assert.Equal([1000, 1001, 1003, 1004, 1005], calls.Fsyncs.Order()); // the group's flush through its first member
    }

    [Fact]
    public async Task When_the_group_cannot_be_synced_each_member_is_synced_alone_and_gets_its_own_verdict()
    {
        const int NoSpace = 28, Io = 5;
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var sync = new GroupSync(h =>
        {
            int n = (int)h.DangerousGetHandle() - 1000;
            if (n == 0)
            {
                entered.Set();
                release.Wait(Timeout);
            }
            return n == 3 ? NoSpace : 0;
        }, _ => Io);

        var first = sync.SyncAsync(Fake(0), "f0", Device);
        Assert.True(entered.Wait(Timeout), "the first sync did not start");
        var rest = Enumerable.Range(1, 4).Select(i => sync.SyncAsync(Fake(i), $"dir/f{i}", Device)).ToList();
        release.Set();
        await first.WaitAsync(Timeout);

        var failed = await Assert.ThrowsAsync<IOException>(() => rest[2].WaitAsync(Timeout));
        Assert.Contains("dir/f3", failed.Message);
        Assert.True(NativeFile.IsNoSpace(failed), $"a full disk must stay recognisable: {failed.HResult} {failed.Message}");
        foreach (var ok in new[] { rest[0], rest[1], rest[3] })
            await ok.WaitAsync(Timeout);
        Assert.Equal(0, sync.Groups);
    }

    [Fact]
    public async Task A_member_whose_sync_throws_fails_alone_and_the_others_are_still_synced()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var synced = new List<int>();
        var sync = new GroupSync(h =>
        {
            int n = (int)h.DangerousGetHandle() - 1000;
            if (n == 0)
            {
                entered.Set();
                release.Wait(Timeout);
            }
            if (n == 2)
                throw new ObjectDisposedException("handle");
            lock (synced)
                synced.Add(n);
            return 0;
        }, h => (int)h.DangerousGetHandle() == 1001 ? throw new ObjectDisposedException("handle") : 0);

        var (first, rest) = QueueBehindFirst(sync, entered, Enumerable.Range(1, 3).Select(i => (i, Device)));
        release.Set();
        await first.WaitAsync(Timeout);

        // The group's syncfs threw: every member went alone; the one whose fsync threw failed, the others landed.
        await rest[0].WaitAsync(Timeout);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => rest[1].WaitAsync(Timeout));
        await rest[2].WaitAsync(Timeout);
        Assert.Equal([0, 1, 3], synced.Order());
        await sync.SyncAsync(Fake(5), "f5", Device).WaitAsync(Timeout); // and syncs go on after it
        Assert.Equal(0, sync.Groups);
    }

    [Fact]
    public async Task Real_files_written_at_once_all_become_durable_through_the_real_system_calls()
    {
        // The real fsync and syncfs, with the first file's fsync held until the others queue, so a group really forms.
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var paths = Enumerable.Range(0, 16).Select(i => Path.Combine(_dir.Path, $"f{i}")).ToList();
        var handles = paths.Select(path => File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite)).ToList();
        try
        {
            var sync = new GroupSync(h =>
            {
                int errno = GroupSync.RealFsync(h);
                if (h == handles[0])
                {
                    entered.Set();
                    release.Wait(Timeout);
                }
                return errno;
            }, GroupSync.RealSyncFs);
            for (int i = 0; i < paths.Count; i++)
                RandomAccess.Write(handles[i], System.Text.Encoding.UTF8.GetBytes(paths[i]), 0);

            var first = sync.SyncAsync(handles[0], paths[0], DeviceOf(handles[0]));
            Assert.True(entered.Wait(Timeout), "the first sync did not start");
            var rest = Enumerable.Range(1, paths.Count - 1).Select(i => sync.SyncAsync(handles[i], paths[i], DeviceOf(handles[i]))).ToList();
            release.Set();
            await Task.WhenAll(rest.Append(first)).WaitAsync(Timeout);

            Assert.Equal(1, sync.Groups);
            Assert.Equal(paths.Count - 1, sync.Grouped);
        }
        finally
        {
            foreach (var handle in handles)
                handle.Dispose();
        }
        foreach (var path in paths)
            Assert.Equal(path, File.ReadAllText(path));
    }

    [Fact]
    public async Task Files_synced_from_many_threads_at_once_all_complete()
    {
        var sync = new GroupSync();
        var paths = Enumerable.Range(0, 64).Select(i => Path.Combine(_dir.Path, $"g{i}")).ToList();
        await Task.WhenAll(paths.Select(path => Task.Run(async () =>
        {
            using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite);
            RandomAccess.Write(handle, System.Text.Encoding.UTF8.GetBytes(path), 0);
            await sync.SyncAsync(handle, path, DeviceOf(handle));
        }))).WaitAsync(Timeout);
        foreach (var path in paths)
            Assert.Equal(path, File.ReadAllText(path));
    }
}
