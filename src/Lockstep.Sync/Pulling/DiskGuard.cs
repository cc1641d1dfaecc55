using Lockstep.FileSystem.Native;

namespace Lockstep.Sync.Pulling;

/// <summary>
/// The checks that keep a pull from losing a write: before anything replaces or removes a path, the disk must
/// hold exactly what our index says is there (a change not yet scanned is scanned first, and then decided by the
/// version rules), and no element above it may be a symlink, so nothing is ever written outside the folder.
/// </summary>
internal static class DiskGuard
{
    /// <summary>Whether the disk at <paramref name="path"/> is what <paramref name="local"/> records (null or a tombstone: nothing there).</summary>
    public static bool Matches(string path, FileInfo? local, ulong inode, bool ignorePermissions) =>
        Matches(path, local, inode, ignorePermissions, out _);

    /// <param name="seen">What the disk holds at <paramref name="path"/> (default when nothing, or when it could not be looked at).</param>
    public static bool Matches(string path, FileInfo? local, ulong inode, bool ignorePermissions, out FileStat seen)
    {
        bool present = NativeFile.TryLstat(path, out var stat, out int errno);
        seen = present ? stat : default;
        if (!present && errno is not (2 or 20)) // ENOENT, ENOTDIR: nothing there; anything else: cannot tell
            return false;
        // An invalid entry that is not deleted is a receive-only folder's local change: real bytes on disk.
        if (local is null || local.Deleted)
            return !present;
        if (!present)
            return false;
        if (local.IsDirectory)
            return stat.IsDirectory;
        if (local.IsSymlink)
        {
            if (!stat.IsSymlink)
                return false;
            try
            {
                return new System.IO.FileInfo(path).LinkTarget == local.SymlinkTarget;
            }
            catch (IOException)
            {
                return false;
            }
        }
        return stat.IsRegular && stat.Size == local.Size && stat.ModifiedS == local.ModifiedS && stat.ModifiedNs == local.ModifiedNs
               && (inode == 0 || stat.Inode == inode) && (ignorePermissions || local.NoPermissions || stat.Permissions == (local.Permissions & 0x1FF));
    }

    /// <summary>Whether every element above <paramref name="name"/> is a real directory (none a symlink); false when one is missing.</summary>
    public static bool ParentsAreDirectories(string root, string name)
    {
        var path = root;
        var elements = name.Split('/');
        for (int i = 0; i < elements.Length - 1; i++)
        {
            path = Path.Join(path, elements[i]);
            if (!NativeFile.TryLstat(path, out var stat, out _) || !stat.IsDirectory)
                return false;
        }
        return true;
    }

    /// <summary>
    /// Makes sure every directory above <paramref name="name"/> exists as a real directory, creating missing ones
    /// one level at a time. Returns null, or why not (a symlink or a file in the way).
    /// </summary>
    public static string? PrepareParents(string root, string name, Action<string>? created = null)
    {
        var elements = name.Split('/');
        var path = root;
        for (int i = 0; i < elements.Length - 1; i++)
        {
            path = Path.Join(path, elements[i]);
            if (NativeFile.TryLstat(path, out var stat, out int errno))
            {
                if (stat.IsSymlink)
                    return $"'{string.Join('/', elements[..(i + 1)])}' is a symlink; nothing is written through one";
                if (!stat.IsDirectory)
                    return $"'{string.Join('/', elements[..(i + 1)])}' is a file where a directory is needed";
                continue;
            }
            if (errno != 2)
                return $"'{string.Join('/', elements[..(i + 1)])}' cannot be looked at (errno {errno})";
            try
            {
                Directory.CreateDirectory(path);
                created?.Invoke(string.Join('/', elements[..(i + 1)]));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"cannot create directory '{string.Join('/', elements[..(i + 1)])}': {e.Message}";
            }
        }
        return null;
    }
}
