namespace Lockstep.Sync.Folders;

/// <summary>A folder cannot be scanned or synced; the message names the path and the fix.</summary>
public sealed class FolderErrorException(string folderId, string reason)
    : Exception($"folder '{folderId}': {reason}")
{
    public string FolderId { get; } = folderId;
    public string Reason { get; } = reason;
}
