using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.FileSystem.Native;

/// <summary>
/// Makes written files durable together: a group commit of their fsyncs. A file that finds no sync running is
/// synced at once with fsync(2), alone; files that arrive while a sync runs wait for it and then go together, with
/// one syncfs(2) of their filesystem followed by one fsync of a member. On ext4 without a journal (this machine's root)
/// each fsync of a new file waits for about five separate writes (its data, its inode, the bitmaps, its parent
/// directory) and ends with a flush of the device's cache; a pull of 10,000 small files spent most of its context
/// switches asleep in those waits. Together, the writes of a group are submitted at once and merged, and the device is
/// flushed once per group instead of once per file.
/// </summary>
/// <remarks>
/// <para>Durability is the same as each file's own fsync: syncfs returns only after every dirty inode and data page of
/// the filesystem is written, and the fsync that follows it issues the device flush after those writes have
/// completed (syncfs alone may flush before its last metadata writes on a filesystem without a journal). When either
/// reports an error, every member is synced again on its own, so each file gets its own verdict.</para>
/// <para>syncfs writes back whatever else is dirty on that filesystem too; a group only forms while a sync is
/// already running, so a lone file never pays for it.</para>
/// </remarks>
public sealed partial class GroupSync
{
    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    private readonly Func<SafeFileHandle, int> _fsync;
    private readonly Func<SafeFileHandle, int> _syncFs;
    private readonly Lock _lock = new();
    private List<Member> _pending = new();
    private bool _running;
    private bool _noSyncFs;
    private long _groups;
    private long _grouped;

    private sealed class Member(SafeFileHandle handle, string path, ulong device)
    {
        public SafeFileHandle Handle { get; } = handle;
        public string Path { get; } = path;
        public ulong Device { get; } = device;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public GroupSync()
        : this(RealFsync, RealSyncFs)
    {
    }

    /// <summary>fsync(2) of the handle's file: 0 or the errno.</summary>
    internal static int RealFsync(SafeFileHandle handle) => Run(handle, Fsync);

    /// <summary>syncfs(2) of the handle's filesystem: 0 or the errno.</summary>
    internal static int RealSyncFs(SafeFileHandle handle) => Run(handle, SyncFs);

    /// <summary>With other system calls (tests); each returns 0 or an errno.</summary>
    internal GroupSync(Func<SafeFileHandle, int> fsync, Func<SafeFileHandle, int> syncFs)
    {
        _fsync = fsync;
        _syncFs = syncFs;
    }

    /// <summary>Groups of two or more files synced together so far.</summary>
    public long Groups => Interlocked.Read(ref _groups);

    /// <summary>Files that were synced as members of such groups.</summary>
    public long Grouped => Interlocked.Read(ref _grouped);

    /// <summary>
    /// Completes once the file behind <paramref name="handle"/> (open until then) is on stable storage with its
    /// metadata; faults with an IOException naming <paramref name="path"/> and the errno otherwise.
    /// </summary>
    /// <param name="device">The file's st_dev: only files of one filesystem are synced together (syncfs reaches no
    /// other); 0 when unknown, and the file is then synced alone.</param>
    public Task SyncAsync(SafeFileHandle handle, string path, ulong device)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var member = new Member(handle, path, device);
        bool start;
        lock (_lock)
        {
            _pending.Add(member);
            start = !_running;
            _running = true;
        }
        if (start)
            ThreadPool.UnsafeQueueUserWorkItem(static self => self.Drain(), this, preferLocal: true);
        return member.Done.Task;
    }

    /// <summary>Syncs what is pending, then what arrived meanwhile, until nothing is left.</summary>
    private void Drain()
    {
        while (true)
        {
            List<Member> batch;
            lock (_lock)
            {
                if (_pending.Count == 0)
                {
                    _running = false;
                    return;
                }
                batch = _pending;
                _pending = new List<Member>(batch.Count);
            }
            try
            {
                Sync(batch);
            }
            catch (Exception e) // never leaves members waiting, nor the next files without a drain
            {
                foreach (var member in batch)
                    member.Done.TrySetException(e);
            }
        }
    }

    private void Sync(List<Member> batch)
    {
        if (batch.Count == 1 || _noSyncFs)
        {
            Alone(batch);
            return;
        }
        foreach (var group in batch.GroupBy(m => m.Device))
        {
            var members = group.ToList();
            if (group.Key != 0 && members.Count > 1 && Together(members))
            {
                Interlocked.Increment(ref _groups);
                Interlocked.Add(ref _grouped, members.Count);
                foreach (var member in members)
                    member.Done.TrySetResult();
            }
            else
            {
                Alone(members);
            }
        }
    }

    private void Alone(List<Member> batch)
    {
        foreach (var member in batch)
        {
            int errno;
            try
            {
                errno = _fsync(member.Handle);
            }
            catch (Exception e) // a handle closed under us: that file fails, the others are still synced
            {
                member.Done.TrySetException(e);
                continue;
            }
            if (errno == 0)
                member.Done.TrySetResult();
            else // HResult is the errno, as .NET's own IOExceptions carry it (a full disk is recognised by it)
                member.Done.TrySetException(new IOException($"{member.Path}: cannot sync the file to disk (errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)})", errno));
        }
    }

    /// <summary>syncfs, then an fsync for the device flush; false when either failed (each member then goes alone).</summary>
    private bool Together(List<Member> batch)
    {
        try
        {
            var first = batch[0].Handle;
            return _syncFs(first) == 0 && _fsync(first) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            _noSyncFs = true; // a libc without syncfs: files are synced one by one
            return false;
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException)
        {
            return false; // each member alone then gets its own verdict
        }
    }

    private static int Run(SafeFileHandle handle, Func<int, int> call)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return call(checked((int)handle.DangerousGetHandle())) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }
}
