using Lockstep.Protocol.Identity;

namespace Lockstep.Sync.Global;

/// <summary>
/// The names Syncthing gives conflict copies (bep-v1.md §5.5), so that a mixed cluster converges on the same
/// files: <c>base.sync-conflict-YYYYMMDD-HHMMSS-WINNER.ext</c>, with the renaming device's local time and the
/// winner's short ID, and the extension taken after the base name's last dot (as Go's filepath.Ext).
/// </summary>
public static class ConflictNames
{
    public const string Marker = ".sync-conflict-";

    /// <summary>The conflict-copy name for <paramref name="name"/> ('/'-separated, relative).</summary>
    public static string For(string name, DateTime localTime, ShortId winner)
    {
        int slash = name.LastIndexOf('/');
        string dir = name[..(slash + 1)], file = name[(slash + 1)..];
        int dot = file.LastIndexOf('.');
        string stem = dot < 0 ? file : file[..dot], ext = dot < 0 ? "" : file[dot..];
        return $"{dir}{stem}{Marker}{localTime:yyyyMMdd-HHmmss}-{winner}{ext}";
    }

    /// <summary>
    /// How every conflict copy of <paramref name="name"/> is named: its directory (relative, '/'-separated), and the
    /// start and end of the copies' file names.
    /// </summary>
    public static (string Directory, string Prefix, string Suffix) CopiesOf(string name)
    {
        int slash = name.LastIndexOf('/');
        string dir = name[..(slash + 1)], file = name[(slash + 1)..];
        int dot = file.LastIndexOf('.');
        string stem = dot < 0 ? file : file[..dot], ext = dot < 0 ? "" : file[dot..];
        return (dir.TrimEnd('/'), stem + Marker, ext);
    }

    private static readonly System.Text.RegularExpressions.Regex CopyPattern =
        new(@"^(?<stem>.*)\.sync-conflict-(?<date>\d{8})-(?<time>\d{6})-(?<id>[A-Z2-7]{7})(?<ext>[^/]*)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>The name a conflict copy was made from (its stem and extension without the marker part), or null.</summary>
    public static string? OriginalOf(string copy)
    {
        var m = CopyPattern.Match(copy);
        return m.Success ? m.Groups["stem"].Value + m.Groups["ext"].Value : null;
    }

    /// <summary>Whether a name is itself a conflict copy (such a loser is deleted, not copied again).</summary>
    public static bool IsConflictCopy(string name) =>
        name.AsSpan(name.LastIndexOf('/') + 1).Contains(Marker, StringComparison.Ordinal);
}
