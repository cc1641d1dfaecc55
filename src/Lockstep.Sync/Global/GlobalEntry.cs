using Lockstep.Protocol.Identity;

namespace Lockstep.Sync.Global;

/// <summary>
/// One name of a folder as the cluster sees it: the global version, what this device holds, which peers can
/// serve the global version (they announce exactly it, valid), and whether this device needs to pull it.
/// </summary>
public sealed record GlobalEntry(string Name, FileInfo Global, FileInfo? Local, IReadOnlyList<DeviceId> Availability, bool LocalNeeds)
{
    /// <summary>True when this device's own entry is the global version (nothing to pull, maybe something to serve).</summary>
    /// <summary>What each peer announced for this name (valid or not, any version).</summary>
    public IReadOnlyList<(DeviceId Device, FileInfo File)> Remote { get; init; } = [];

    /// <summary>Whether <paramref name="device"/> (a peer) needs the global version, by the rule applied to ourselves.</summary>
    public bool DeviceNeeds(DeviceId device)
    {
        foreach (var (d, f) in Remote)
            if (d == device)
                return GlobalRules.Needs(f.Invalid ? null : f, Global);
        return GlobalRules.Needs(null, Global);
    }

    public bool LocalIsGlobal => Local is not null && Local.Version.Compare(Global.Version) == Protocol.Messages.Ordering.Equal;
}
