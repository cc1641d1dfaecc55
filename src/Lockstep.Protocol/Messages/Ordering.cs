namespace Lockstep.Protocol.Messages;

/// <summary>How one version vector relates to another (Syncthing's vector.go semantics).</summary>
public enum Ordering
{
    Equal,
    Greater,
    Lesser,
    /// <summary>Concurrent, and at the lowest device ID where they differ the left side is higher.</summary>
    ConcurrentGreater,
    /// <summary>Concurrent, and at the lowest device ID where they differ the left side is lower.</summary>
    ConcurrentLesser,
}
