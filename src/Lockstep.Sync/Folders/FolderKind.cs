namespace Lockstep.Sync.Folders;

/// <summary>A folder's type (ARCHITECTURE.md §3), as the runner acts on it.</summary>
public enum FolderKind
{
    /// <summary>Local changes go out, peers' changes are applied.</summary>
    SendReceive,
    /// <summary>Local changes go out; peers' changes are not applied (override pushes the local state).</summary>
    SendOnly,
    /// <summary>Peers' changes are applied; local changes are flagged (revert restores the global state).</summary>
    ReceiveOnly,
    /// <summary>Everything is announced invalid; nothing is ever requested or written.</summary>
    Observe,
}
