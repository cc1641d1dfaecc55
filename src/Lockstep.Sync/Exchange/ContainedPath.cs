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
    /// every element before the last is a real directory and the last is a file, none of them a symlink;
    /// null otherwise or when any of them cannot be looked at. <paramref name="length"/> is the file's size.
    /// </summary>
    public static string? File(string root, string name, out long length)
    {
        length = 0;
        var path = root;
        var elements = name.Split('/');
        try
        {
            for (int i = 0; i < elements.Length - 1; i++)
            {
                path = Path.Join(path, elements[i]);
                // On Unix .NET reports a symlink (from lstat) as ReparsePoint, whatever it points to.
                var attributes = System.IO.File.GetAttributes(path);
                if ((attributes & FileAttributes.ReparsePoint) != 0 || (attributes & FileAttributes.Directory) == 0)
                    return null;
            }
            path = Path.Join(path, elements[^1]);
            var file = new System.IO.FileInfo(path);
            // Exists is false for a directory; a FIFO or device passes here but has length 0, and the caller never
            // opens a file for a block that does not lie within its length (opening a FIFO would block).
            if (!file.Exists || (file.Attributes & (FileAttributes.ReparsePoint | FileAttributes.Directory)) != 0)
                return null;
            length = file.Length;
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
