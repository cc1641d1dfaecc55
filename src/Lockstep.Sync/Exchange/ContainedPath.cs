using Lockstep.FileSystem.Native;

namespace Lockstep.Sync.Exchange;

/// <summary>
/// Finds a file below a folder root without following symlinks anywhere below the root, so a peer can never
/// read outside the folder through a link (Syncthing's osutil.TraversesSymlink plus its lstat of the file).
/// The root itself may be a link: the user chose it.
/// </summary>
internal static class ContainedPath
{
    /// <summary>
    /// The full path of <paramref name="name"/> (already validated: relative, no '.' or '..' elements) when
    /// every element before the last is a real directory and the last a regular file, none of them a symlink;
    /// null otherwise or when any of them cannot be looked at. <paramref name="length"/> is the file's size.
    /// </summary>
    public static string? File(string root, string name, out long length)
    {
        // One lstat per element, no exceptions: this runs for every block a peer requests.
        length = 0;
        var path = root;
        var elements = name.Split('/');
        for (int i = 0; i < elements.Length - 1; i++)
        {
            path = Path.Join(path, elements[i]);
            if (!NativeFile.TryLstat(path, out var directory, out _) || !directory.IsDirectory) // a symlink is not one
                return null;
        }
        path = Path.Join(path, elements[^1]);
        // Only a regular file: a FIFO or device is refused before anyone opens it (opening a FIFO would block).
        if (!NativeFile.TryLstat(path, out var file, out _) || !file.IsRegular)
            return null;
        length = file.Size;
        return path;
    }
}
