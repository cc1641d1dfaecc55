using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.FileSystem.Native;

/// <summary>
/// fstatvfs: the bytes an unprivileged writer may still allocate on the filesystem that holds an open file
/// (f_bavail × f_frsize), so a pull can refuse a file that cannot fit before it fills the disk with half of it.
/// </summary>
internal static unsafe partial class FreeSpace
{
    // struct statvfs on 64-bit glibc (x86-64 and aarch64): f_bsize, f_frsize, f_blocks, f_bfree, f_bavail, ...
    // eleven 8-byte fields and six spare ints, 112 bytes.
    private const int StructSize = 112, FrsizeOffset = 8, BavailOffset = 32;

    [LibraryImport("libc", EntryPoint = "fstatvfs", SetLastError = true)]
    private static partial int Fstatvfs(int fd, byte* buffer);

    public static bool TryAvailable(SafeFileHandle handle, out long bytes, out int errno)
    {
        byte* buffer = stackalloc byte[StructSize];
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Fstatvfs(checked((int)handle.DangerousGetHandle()), buffer) != 0)
            {
                errno = Marshal.GetLastPInvokeError();
                bytes = 0;
                return false;
            }
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
        ulong frsize = *(ulong*)(buffer + FrsizeOffset), bavail = *(ulong*)(buffer + BavailOffset);
        errno = 0;
        UInt128 total = (UInt128)bavail * frsize;
        bytes = total > long.MaxValue ? long.MaxValue : (long)total;
        return true;
    }
}
