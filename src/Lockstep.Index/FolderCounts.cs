namespace Lockstep.Index;

/// <summary>
/// A folder's local entries by kind. Files, Directories and Symlinks count entries that are not deleted;
/// Deleted counts tombstones of any kind; Bytes is the total size of the files that are not deleted.
/// Entries marked invalid (ignored, or every entry of an observe folder) are counted like the others.
/// </summary>
public sealed record FolderCounts(long Files, long Directories, long Symlinks, long Deleted, long Bytes);
