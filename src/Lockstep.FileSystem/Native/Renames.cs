using System.Runtime.InteropServices;

namespace Lockstep.FileSystem.Native;

/// <summary>rename(2) itself: File.Move first lstats the source and the target, one path lookup each per pulled file.</summary>
internal static partial class Renames
{
    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Rename(string from, string to);

    /// <summary>0, or the errno of a failed rename.</summary>
    public static int TryRename(string from, string to) => Rename(from, to) == 0 ? 0 : Marshal.GetLastPInvokeError();
}
