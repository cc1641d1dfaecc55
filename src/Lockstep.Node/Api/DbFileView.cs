using System.Globalization;
using Lockstep.Contracts.Rest;
using FileInfo = Lockstep.Protocol.Messages.FileInfo;

namespace Lockstep.Node.Api;

/// <summary>A file as Syncthing's REST API writes one (its fileIntfJSONMap), for /rest/db/file and the need lists.</summary>
internal static class DbFileView
{
    public static string TypeName(FileInfo f) => f.IsDirectory ? "FILE_INFO_TYPE_DIRECTORY" : f.IsSymlink ? "FILE_INFO_TYPE_SYMLINK" : "FILE_INFO_TYPE_FILE";

    /// <summary>Go's time.RFC3339Nano in UTC: fraction digits trimmed of trailing zeros, none when zero.</summary>
    public static string GoTime(long seconds, int nanos)
    {
        var text = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (nanos > 0)
            text += "." + nanos.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return text + "Z";
    }

    /// <param name="truncated">A need list's entry: Syncthing leaves numBlocks null there.</param>
    public static DbFile Of(FileInfo f, bool truncated) => new()
    {
        Name = f.Name,
        Type = TypeName(f),
        Size = f.Size,
        Deleted = f.Deleted,
        Invalid = f.Invalid,
        NoPermissions = f.NoPermissions,
        Modified = GoTime(f.ModifiedS, f.ModifiedNs),
        ModifiedBy = f.ModifiedBy.ToString(),
        Sequence = f.Sequence,
        Version = [.. f.Version.Counters.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Id}:{c.Value}"))],
        NumBlocks = truncated ? null : f.Blocks.Length,
        Permissions = f.NoPermissions ? null : (f.Permissions & 0xFFF) == 0 ? "0" : "0" + Convert.ToString(f.Permissions & 0xFFF, 8), // Go's %#o
    };
}
