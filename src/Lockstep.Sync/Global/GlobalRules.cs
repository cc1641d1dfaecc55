using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;

namespace Lockstep.Sync.Global;

/// <summary>
/// Syncthing 1.19's rules for which version of a name is the global one and whether this device needs it
/// (bep-v1.md §5.5). Pure functions, so every node — Lockstep or Syncthing — reaches the same answer from the
/// same announcements.
/// </summary>
public static class GlobalRules
{
    /// <summary>
    /// True when <paramref name="a"/> should be preferred to <paramref name="b"/> as the global version: a's vector
    /// is newer, or the two are concurrent and a wins the conflict. Equal versions: neither beats the other.
    /// </summary>
    public static bool Beats(FileInfo a, FileInfo b)
    {
        var ordering = a.Version.Compare(b.Version);
        return ordering switch
        {
            Ordering.Greater => true,
            Ordering.ConcurrentGreater or Ordering.ConcurrentLesser => WinsConflict(a, b, ordering),
            _ => false,
        };
    }

    /// <summary>
    /// Which of two concurrent versions wins: the valid one, then the one that is not a delete (a modification
    /// beats a concurrent delete), then the newer modification time, then the tie-break of the vectors
    /// (ConcurrentGreater: in the usual two-device case, the device with the lower short ID wins).
    /// </summary>
    public static bool WinsConflict(FileInfo a, FileInfo b) => WinsConflict(a, b, a.Version.Compare(b.Version));

    private static bool WinsConflict(FileInfo a, FileInfo b, Ordering ordering)
    {
        if (a.Invalid != b.Invalid)
            return !a.Invalid;
        if (a.Deleted != b.Deleted)
            return !a.Deleted;
        if (a.ModifiedS != b.ModifiedS)
            return a.ModifiedS > b.ModifiedS;
        if (a.ModifiedNs != b.ModifiedNs)
            return a.ModifiedNs > b.ModifiedNs;
        return ordering == Ordering.ConcurrentGreater;
    }

    /// <summary>
    /// Whether a device holding <paramref name="local"/> (null: it has nothing under that name) must pull
    /// <paramref name="global"/>: never an invalid or unversioned global, never a delete of what it does not have,
    /// never when its own version is the same or newer.
    /// </summary>
    public static bool Needs(FileInfo? local, FileInfo global)
    {
        if (global.Invalid || global.Version.IsEmpty)
            return false;
        if (local is null)
            return !global.Deleted;
        return local.Version.Compare(global.Version) is not (Ordering.Equal or Ordering.Greater);
    }

    /// <summary>
    /// Whether pulling <paramref name="global"/> over <paramref name="local"/> must first keep the local bytes as a
    /// conflict copy: the versions are concurrent, or the global one claims a higher counter for this device than
    /// the local copy has (someone else edited on top of a version of ours we never had). Regular files only.
    /// </summary>
    public static bool InConflict(FileInfo local, FileInfo global, ShortId me)
    {
        if (!local.IsFile || local.Deleted || !global.IsFile)
            return false;
        return local.Version.IsConcurrentWith(global.Version) || global.Version[me] > local.Version[me];
    }
}
