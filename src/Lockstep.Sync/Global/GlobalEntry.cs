using Lockstep.Protocol.Identity;

namespace Lockstep.Sync.Global;

/// <summary>
/// One name of a folder as the cluster sees it: the global version, what this device holds, which peers can
/// serve the global version (they announce exactly it, valid), and whether this device needs to pull it.
/// </summary>
public sealed record GlobalEntry(string Name, FileInfo Global, FileInfo? Local, IReadOnlyList<DeviceId> Availability, bool LocalNeeds)
{
    /// <summary>True when this device's own entry is the global version (nothing to pull, maybe something to serve).</summary>
    public bool LocalIsGlobal => Local is not null && Local.Version.Compare(Global.Version) == Protocol.Messages.Ordering.Equal;
}
