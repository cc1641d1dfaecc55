using System.Runtime.InteropServices;

namespace Lockstep.FileSystem.Native;

/// <summary>
/// Sets a path's modification time to the nanosecond through libc utimensat(2), and syncs directories. .NET's SetLastWriteTime goes
/// through DateTime (100 ns ticks), which would cut the last two digits of a peer's modified_ns, and the next
/// scan would take the file for changed.
/// </summary>
internal static unsafe partial class FileTimes
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const long UtimeOmit = (1L << 30) - 2;

    [LibraryImport("libc", EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UtimensAt(int dirfd, string path, long* times, int flags);

    [LibraryImport("libc", EntryPoint = "futimens", SetLastError = true)]
    private static partial int Futimens(int fd, long* times);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    private const int ORdOnly = 0, ODirectory = 0x10000, OCloExec = 0x80000;

    /// <summary>fsync(2) of a directory (.NET refuses to open one); 0 or the errno.</summary>
    public static int TrySyncDirectory(string path)
    {
        int fd = Open(path, ORdOnly | ODirectory | OCloExec);
        if (fd < 0)
            return Marshal.GetLastPInvokeError();
        try
        {
            return Fsync(fd) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>Sets the mtime (the atime is left alone); a symlink itself when <paramref name="noFollow"/>.</summary>
    public static int TrySetModified(string path, long seconds, int nanoseconds, bool noFollow)
    {
        long* times = stackalloc long[4]; // struct timespec[2] { atime, mtime } on 64-bit Linux
        times[0] = 0;
        times[1] = UtimeOmit;
        times[2] = seconds;
        times[3] = nanoseconds;
        return UtimensAt(AtFdCwd, path, times, noFollow ? AtSymlinkNoFollow : 0) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>Sets an open file's mtime (the atime is left alone); 0 or the errno.</summary>
    public static int TrySetModified(SafeHandle handle, long seconds, int nanoseconds)
    {
        long* times = stackalloc long[4];
        times[0] = 0;
        times[1] = UtimeOmit;
        times[2] = seconds;
        times[3] = nanoseconds;
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return Futimens(checked((int)handle.DangerousGetHandle()), times) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }
}
