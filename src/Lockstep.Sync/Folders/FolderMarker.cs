using Lockstep.FileSystem.Names;

namespace Lockstep.Sync.Folders;

/// <summary>
/// The .stfolder marker rule (ARCHITECTURE.md §3): a folder root without its marker is an unmounted or lost
/// volume and must never look like "everything was deleted". The marker is created only when a person adds
/// the folder, never silently re-created later.
/// </summary>
public static class FolderMarker
{
    /// <summary>Null when the folder can be scanned; otherwise the reason, naming the path and the fix.</summary>
    public static string? Check(string folderPath)
    {
        if (!Directory.Exists(folderPath))
            return $"folder path '{folderPath}' does not exist (is the volume mounted?); create it and its {InternalNames.Marker} marker, or fix the path";
        var marker = Path.Combine(folderPath, InternalNames.Marker);
        if (!Directory.Exists(marker) && !File.Exists(marker))
            return $"folder marker missing: '{marker}' is gone, so the folder is stopped to protect its files " +
                   $"(is the volume mounted?); if the path is right, recreate it with: mkdir '{marker}'";
        return null;
    }

    /// <summary>Creates the folder and its marker directory, for `folder add`.</summary>
    public static void Create(string folderPath)
    {
        Directory.CreateDirectory(folderPath);
        Directory.CreateDirectory(Path.Combine(folderPath, InternalNames.Marker));
    }
}
