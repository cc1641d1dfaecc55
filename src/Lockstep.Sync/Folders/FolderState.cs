namespace Lockstep.Sync.Folders;

/// <summary>A folder runner's state, spelled as Syncthing's REST API spells it.</summary>
public enum FolderState
{
    Idle,
    Scanning,
    Syncing,
    Paused,
    Error,
}
