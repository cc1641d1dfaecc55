using System.Runtime.InteropServices;

namespace Lockstep.FileSystem.Native;

/// <summary>fcntl(F_DUPFD_CLOEXEC): a second descriptor for the same open file or socket, owned and closed separately.</summary>
internal static partial class Descriptors
{
    private const int FDupFdCloExec = 1030;

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    public static int Duplicate(int fd)
    {
        int copy = Fcntl(fd, FDupFdCloExec, 0);
        return copy >= 0 ? copy : throw new IOException($"fcntl(F_DUPFD_CLOEXEC) failed: errno {Marshal.GetLastPInvokeError()}");
    }
}
