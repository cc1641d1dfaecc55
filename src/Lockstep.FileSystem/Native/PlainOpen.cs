using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.FileSystem.Native;

/// <summary>
/// open(2) and nothing else, for the files a sync opens by the thousand. .NET's File.OpenHandle adds four to six
/// system calls to every open on Linux (fstat, two fstatfs, an flock to emulate FileShare and its unlock at close,
/// an lseek): about half the cost of opening and reading a small file, measured at 6-9 against 4 µs. Nothing here
/// relies on FileShare: other programs never saw .NET's advisory locks, and the node's own exclusive lock
/// (HomeLock) still opens through .NET. Failures throw the exception types File.OpenHandle throws, so callers
/// keep telling a vanished file from a refused one; an IOException carries the errno as its HResult.
/// </summary>
internal static partial class PlainOpen
{
    private const int ORdOnly = 0, ORdWr = 2, OCreat = 0x40, ONoFollow = 0x20000, OCloExec = 0x80000;
    private const int EPERM = 1, EINTR = 4, ELOOP = 40; // ENOENT, EACCES and ENOTDIR are StatX's
    private const int PosixFadvSequential = 2;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int Fadvise(int fd, long offset, long length, int advice);

    /// <summary>An existing file for reading; with <paramref name="sequential"/> the kernel reads further ahead.</summary>
    public static SafeFileHandle Read(string path, bool sequential)
    {
        int fd = OpenRetrying(path, ORdOnly | OCloExec, 0);
        if (sequential)
            Fadvise(fd, 0, 0, PosixFadvSequential); // advice only: a refusal changes nothing
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// A file for reading and writing, created (mode 0666 less the umask) when missing; never through a symlink at
    /// <paramref name="path"/> itself, which would send the writes outside the folder.
    /// </summary>
    public static SafeFileHandle ReadWriteCreate(string path) =>
        new(OpenRetrying(path, ORdWr | OCreat | ONoFollow | OCloExec, 0x1B6), ownsHandle: true);

    private static int OpenRetrying(string path, int flags, int mode)
    {
        while (true)
        {
            int fd = Open(path, flags, mode);
            if (fd >= 0)
                return fd;
            int errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR)
                throw Failure(path, errno);
        }
    }

    /// <summary>The exception File.OpenHandle would throw for <paramref name="errno"/>, naming the path.</summary>
    internal static Exception Failure(string path, int errno) => errno switch
    {
        StatX.ENOENT => new FileNotFoundException($"Could not find file '{path}'.", path),
        StatX.ENOTDIR => new DirectoryNotFoundException($"Could not find a part of the path '{path}'."),
        StatX.EACCES or EPERM => new UnauthorizedAccessException($"Access to the path '{path}' is denied."),
        ELOOP => new IOException($"'{path}' is a symbolic link (or a loop of them) where a file was expected (errno {ELOOP})", ELOOP),
        _ => new IOException($"{Marshal.GetPInvokeErrorMessage(errno)} : '{path}' (errno {errno})", errno),
    };
}
