using System.Runtime.InteropServices;

namespace Lockstep.FileSystem.Native;

/// <summary>
/// lstat-like metadata through libc statx(2): inode and nanosecond mtime, which .NET's FileSystemInfo
/// does not expose (no POSIX package is on the mirror). statx's struct layout is the same on every
/// architecture, unlike struct stat.
/// </summary>
internal static unsafe partial class StatX
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int StructSize = 256;

    // struct statx offsets (include/uapi/linux/stat.h).
    private const int OffMode = 28;      // __u16 stx_mode
    private const int OffIno = 32;       // __u64 stx_ino
    private const int OffSize = 40;      // __u64 stx_size
    private const int OffMtimeSec = 112; // struct statx_timestamp stx_mtime { __s64 tv_sec; __u32 tv_nsec; }
    private const int OffMtimeNsec = 120;
    private const int OffDevMajor = 136;
    private const int OffDevMinor = 140;
    private const int OffMask = 0;            // __u32 stx_mask: what the kernel filled in
    private const int OffDioMemAlign = 152;   // __u32 stx_dio_mem_align
    private const int OffDioOffsetAlign = 156; // __u32 stx_dio_offset_align
    private const uint StatxDioAlign = 0x2000;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeStatx(int dirfd, string path, int flags, uint mask, byte* buffer);

    /// <summary>Stats a path without following a final symlink. Returns false with errno on failure.</summary>
    public static bool TryLstat(string path, out FileStat stat, out int errno) => TryStat(AtFdCwd, path, AtSymlinkNoFollow, out stat, out errno);

    /// <summary>Stats an open file (no path lookup, and it is the file this handle has, whatever its name now is).</summary>
    public static bool TryFstat(SafeHandle handle, out FileStat stat, out int errno)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return TryStat(checked((int)handle.DangerousGetHandle()), "", AtEmptyPath, out stat, out errno);
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    private static bool TryStat(int dirfd, string path, int flags, out FileStat stat, out int errno)
    {
        byte* buf = stackalloc byte[StructSize];
        if (NativeStatx(dirfd, path, flags, StatxBasicStats, buf) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            stat = default;
            return false;
        }
        errno = 0;
        stat = new FileStat(
            Mode: *(ushort*)(buf + OffMode),
            Inode: *(ulong*)(buf + OffIno),
            Size: (long)*(ulong*)(buf + OffSize),
            ModifiedS: *(long*)(buf + OffMtimeSec),
            ModifiedNs: (int)*(uint*)(buf + OffMtimeNsec),
            Device: ((ulong)*(uint*)(buf + OffDevMajor) << 32) | *(uint*)(buf + OffDevMinor));
        return true;
    }

    /// <summary>
    /// The direct-I/O alignment of a file (statx STATX_DIOALIGN, Linux 6.1 and later): false when the kernel or the
    /// file system does not report one, which means O_DIRECT is not offered for it.
    /// </summary>
    public static bool TryDirectIoAlignment(string path, out int memoryAlign, out int offsetAlign)
    {
        byte* buf = stackalloc byte[StructSize];
        memoryAlign = offsetAlign = 0;
        if (NativeStatx(AtFdCwd, path, 0, StatxDioAlign, buf) != 0 || (*(uint*)(buf + OffMask) & StatxDioAlign) == 0)
            return false;
        memoryAlign = (int)*(uint*)(buf + OffDioMemAlign);
        offsetAlign = (int)*(uint*)(buf + OffDioOffsetAlign);
        return memoryAlign > 0 && offsetAlign > 0;
    }

    public const int ENOENT = 2;
    public const int EACCES = 13;
    public const int ENOTDIR = 20;
}
