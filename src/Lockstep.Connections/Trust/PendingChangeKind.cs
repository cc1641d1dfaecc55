namespace Lockstep.Connections.Trust;

public enum PendingChangeKind
{
    /// <summary>The device tried to connect for the first time (or the first time since it was removed).</summary>
    Added,

    /// <summary>The device tried again: new last-seen time, count and perhaps address.</summary>
    Updated,

    /// <summary>The entry was removed: accepted or dismissed by a person, or evicted to make room.</summary>
    Removed,
}
