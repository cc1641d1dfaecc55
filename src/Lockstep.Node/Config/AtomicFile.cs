using System.Runtime.InteropServices;
using System.Text;

namespace Lockstep.Node.Config;

/// <summary>
/// Replaces a file so that a crash leaves either the old or the new content, never a mix or nothing:
/// write a temp file in the same directory, fsync it, rename it over the target, fsync the directory.
/// </summary>
internal static partial class AtomicFile
{
    public static void WriteAllText(string path, string text, UnixFileMode mode)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no directory", nameof(path));
        // Same directory, so the rename stays on one filesystem; hidden, so nobody mistakes it for config.
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = mode; // created private: the secret is never readable, not even briefly
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, mode); // the umask may have cleared bits we asked for
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        SyncDirectory(directory);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original error is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // The rename is durable only once the directory entry is on disk. .NET cannot open a directory for
    // fsync, so ask libc; where that is not possible (Windows, no libc) the rename alone has to do.
    private static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
            return;
        try
        {
            var fd = Open(directory, 0 /* O_RDONLY */);
            if (fd < 0)
                return;
            _ = Fsync(fd);
            _ = Close(fd);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
