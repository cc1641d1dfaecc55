using Lockstep.FileSystem.Native;

namespace Lockstep.FileSystem.Scanning;

/// <summary>
/// Linux stamps mtime from the coarse kernel clock (one tick, up to 10 ms), so writes that land within the
/// same tick as a read leave size, mtime and inode unchanged and a before/after comparison cannot see them.
/// As git does for "racily clean" entries, a file whose mtime is not older than the moment hashing began
/// (read on that same coarse clock, minus a margin for file systems with coarser stamps) is not trusted: it
/// is scanned again once it has been quiet.
/// </summary>
internal static class RacyRead
{
    /// <summary>A margin below the coarse reading, for file systems whose stamps are coarser than a tick.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(20);
    private static readonly long WindowNs = (long)Window.TotalMilliseconds * 1_000_000;

    /// <summary>Now on the clock mtimes are stamped with.</summary>
    public static long NowUnixNs() => CoarseClock.NowUnixNs();

    /// <summary>
    /// True when the file may have been written during the read that began at <paramref name="startedNs"/>.
    /// A far-future mtime (clock skew, copied files) is not racy: a write now would have moved it to now.
    /// </summary>
    public static bool IsRacy(in FileStat stat, long startedNs)
    {
        long mtimeNs = stat.ModifiedS * 1_000_000_000 + stat.ModifiedNs;
        return mtimeNs >= startedNs - WindowNs && mtimeNs <= Math.Max(NowUnixNs(), (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100) + WindowNs;
    }
}
