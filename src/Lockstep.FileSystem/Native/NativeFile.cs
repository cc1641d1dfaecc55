namespace Lockstep.FileSystem.Native;

/// <summary>The few POSIX calls other layers need that .NET does not offer: lstat with inode and ns mtime, exact mtimes, directory fsync.</summary>
public static class NativeFile
{
    /// <summary>lstat through statx: false (with errno) when the path cannot be looked at.</summary>
    public static bool TryLstat(string path, out FileStat stat, out int errno) => StatX.TryLstat(path, out stat, out errno);

    /// <summary>
    /// A duplicate of a descriptor, for handing to code that closes what it is given (Kestrel's ListenHandle) while the
    /// caller keeps and closes its own.
    /// </summary>
    /// <exception cref="IOException">fcntl failed.</exception>
    public static int DuplicateDescriptor(nint fd) => Descriptors.Duplicate(checked((int)fd));

    /// <summary>Whether nothing exists at the path (not even a dangling symlink).</summary>
    public static bool IsAbsent(string path) => !StatX.TryLstat(path, out _, out int errno) && errno is StatX.ENOENT or StatX.ENOTDIR;

    /// <summary>Sets a path's mtime to the nanosecond (never following a final symlink when <paramref name="noFollow"/>).</summary>
    /// <exception cref="IOException">utimensat failed; the message names the path and the errno.</exception>
    public static void SetModified(string path, long seconds, int nanoseconds, bool noFollow = false)
    {
        int errno = FileTimes.TrySetModified(path, seconds, nanoseconds, noFollow);
        if (errno != 0)
            throw new IOException($"{path}: cannot set the modification time (errno {errno}: {Errno(errno)})");
    }

    /// <summary>Sets an open file's mtime to the nanosecond; <paramref name="path"/> only names it in the error.</summary>
    /// <exception cref="IOException">futimens failed; the message names the file and the errno.</exception>
    public static void SetModified(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string path, long seconds, int nanoseconds)
    {
        int errno = FileTimes.TrySetModified(handle, seconds, nanoseconds);
        if (errno != 0)
            throw new IOException($"{path}: cannot set the modification time (errno {errno}: {Errno(errno)})");
    }

    /// <summary>
    /// Opens an existing file for reading with open(2) alone, without the calls .NET adds (<see cref="PlainOpen"/>);
    /// <paramref name="sequential"/> asks the kernel for a longer read-ahead. Throws what File.OpenHandle throws.
    /// </summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle OpenRead(string path, bool sequential = false) => PlainOpen.Read(path, sequential);

    /// <summary>
    /// Opens a file for reading and writing with open(2) alone, creating it when missing and never through a symlink
    /// at <paramref name="path"/> (an IOException with errno 40 then). Throws what File.OpenHandle throws.
    /// </summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle OpenOrCreateNoFollow(string path) => PlainOpen.ReadWriteCreate(path);

    /// <summary>
    /// Renames <paramref name="from"/> over <paramref name="to"/> atomically (rename(2), within one file system, a
    /// file never over a directory), without the lookups File.Move adds.
    /// </summary>
    /// <exception cref="FileNotFoundException"><paramref name="from"/> is gone.</exception>
    /// <exception cref="IOException">rename failed; the message names both paths and the errno, which is the HResult.</exception>
    public static void Replace(string from, string to)
    {
        int errno = Renames.TryRename(from, to);
        if (errno == StatX.ENOENT && IsAbsent(from))
            throw new FileNotFoundException($"Could not find file '{from}'.", from);
        if (errno != 0)
            throw new IOException($"cannot rename '{from}' to '{to}': {Errno(errno)} (errno {errno})", errno);
    }

    /// <summary>Stats an open file through its handle (fstat): no path lookup.</summary>
    public static bool TryFstat(Microsoft.Win32.SafeHandles.SafeFileHandle handle, out FileStat stat, out int errno) => StatX.TryFstat(handle, out stat, out errno);

    /// <summary>The bytes an unprivileged writer may still allocate on the filesystem holding the open file.</summary>
    public static bool TryFreeSpace(Microsoft.Win32.SafeHandles.SafeFileHandle handle, out long bytes, out int errno) => FreeSpace.TryAvailable(handle, out bytes, out errno);

    /// <summary>Whether an I/O failure is ENOSPC (or EDQUOT, a quota full): no room left, rather than a broken disk.</summary>
    public static bool IsNoSpace(Exception e) => e is IOException { HResult: 28 or 122 };

    /// <summary>fsync of a directory, so the renames and creations in it survive a crash.</summary>
    /// <exception cref="IOException">open or fsync failed; the message names the directory and the errno.</exception>
    public static void SyncDirectory(string path)
    {
        int errno = FileTimes.TrySyncDirectory(path);
        if (errno != 0)
            throw new IOException($"{path}: cannot sync the directory to disk (errno {errno}: {Errno(errno)})");
    }

    private static string Errno(int errno) => System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno);
}
