using System.Globalization;
using System.Text.Json;

namespace Lockstep.Testing;

/// <summary>One entry of <c>GET /rest/system/connections</c>. Syncthing lists every configured device, itself included (never connected).</summary>
public sealed record SyncthingConnection(
    string DeviceId, bool Connected, bool Paused, string Address, string Type, string Crypto, string ClientVersion,
    long InBytesTotal, long OutBytesTotal, DateTimeOffset StartedAt, JsonElement Raw)
{
    internal static SyncthingConnection From(string deviceId, JsonElement e) => new(deviceId,
        e.Bool("connected"), e.Bool("paused"), e.Str("address"), e.Str("type"), e.Str("crypto"), e.Str("clientVersion"),
        e.Long("inBytesTotal"), e.Long("outBytesTotal"), e.Time("startedAt"), e);
}

/// <summary><c>GET /rest/db/status?folder=</c>. Counts are files, directories, deleted entries; bytes count each directory as 128.</summary>
public sealed record SyncthingFolderStatus(
    string State, long Sequence,
    long LocalFiles, long LocalDirectories, long LocalDeleted, long LocalBytes, long LocalTotalItems,
    long GlobalFiles, long GlobalDirectories, long GlobalDeleted, long GlobalBytes, long GlobalTotalItems,
    long NeedFiles, long NeedDirectories, long NeedDeletes, long NeedBytes, long NeedTotalItems,
    long InSyncFiles, long InSyncBytes, long PullErrors, long Errors, string Invalid, JsonElement Raw)
{
    /// <summary>bep-v1.md §7: the folder is idle, needs nothing and has no pull errors.</summary>
    public bool IsIdleAndInSync => State == "idle" && NeedTotalItems == 0 && PullErrors == 0;

    internal static SyncthingFolderStatus From(JsonElement e) => new(
        e.Str("state"), e.Long("sequence"),
        e.Long("localFiles"), e.Long("localDirectories"), e.Long("localDeleted"), e.Long("localBytes"), e.Long("localTotalItems"),
        e.Long("globalFiles"), e.Long("globalDirectories"), e.Long("globalDeleted"), e.Long("globalBytes"), e.Long("globalTotalItems"),
        e.Long("needFiles"), e.Long("needDirectories"), e.Long("needDeletes"), e.Long("needBytes"), e.Long("needTotalItems"),
        e.Long("inSyncFiles"), e.Long("inSyncBytes"), e.Long("pullErrors"), e.Long("errors"), e.Str("invalid"), e);

    public override string ToString() =>
        $"state={State} seq={Sequence} local={LocalFiles}f/{LocalDirectories}d/{LocalDeleted}x global={GlobalFiles}f/{GlobalDirectories}d/{GlobalDeleted}x need={NeedTotalItems} pullErrors={PullErrors} errors={Errors}";
}

/// <summary>
/// <c>GET /rest/db/completion?folder=[&amp;device=]</c>: how complete a device is in Syncthing's view. <see cref="Sequence"/>
/// is the highest of that device's sequences Syncthing holds.
/// </summary>
public sealed record SyncthingCompletion(
    double Completion, long NeedItems, long NeedDeletes, long NeedBytes, long GlobalItems, long GlobalBytes, long Sequence, JsonElement Raw)
{
    public bool IsComplete => Completion >= 100 && NeedItems == 0 && NeedDeletes == 0;

    internal static SyncthingCompletion From(JsonElement e) => new(e.Double("completion"), e.Long("needItems"), e.Long("needDeletes"),
        e.Long("needBytes"), e.Long("globalItems"), e.Long("globalBytes"), e.Long("sequence"), e);

    public override string ToString() => $"completion={Completion} needItems={NeedItems} needDeletes={NeedDeletes} sequence={Sequence}";
}

/// <summary>One side (<c>local</c> or <c>global</c>) of <c>GET /rest/db/file</c>.</summary>
/// <param name="Type">FILE_INFO_TYPE_FILE, FILE_INFO_TYPE_DIRECTORY, FILE_INFO_TYPE_SYMLINK…</param>
/// <param name="Version">The version vector as "SHORTID:counter" strings, SHORTID being the first 7 characters of a device ID.</param>
public sealed record SyncthingFileEntry(
    string Name, string Type, long Size, bool Deleted, bool Invalid, bool Ignored, bool NoPermissions, bool MustRescan,
    string ModifiedBy, DateTimeOffset Modified, long Sequence, IReadOnlyList<string> Version, long NumBlocks, string Permissions,
    long LocalFlags, JsonElement Raw)
{
    /// <summary>The version vector as short device ID → counter.</summary>
    public IReadOnlyDictionary<string, ulong> Counters => Version.Select(v => v.Split(':', 2))
        .ToDictionary(p => p[0], p => ulong.Parse(p[1], CultureInfo.InvariantCulture));

    /// <summary>Null for the all-zero entry Syncthing sends when this side does not have the file.</summary>
    internal static SyncthingFileEntry? From(JsonElement e) => e.Str("name").Length == 0 ? null : new(
        e.Str("name"), e.Str("type"), e.Long("size"), e.Bool("deleted"), e.Bool("invalid"), e.Bool("ignored"), e.Bool("noPermissions"),
        e.Bool("mustRescan"), e.Str("modifiedBy"), e.Time("modified"), e.Long("sequence"), e.Strings("version"), e.Long("numBlocks"),
        e.Str("permissions"), e.Long("localFlags"), e);
}

/// <summary><c>GET /rest/db/file?folder=&amp;file=</c>: Syncthing's own copy, the global winner and who has it.</summary>
/// <param name="Availability">Device IDs offering the global version (empty when only Syncthing has it).</param>
public sealed record SyncthingFile(SyncthingFileEntry? Local, SyncthingFileEntry? Global, IReadOnlyList<string> Availability, JsonElement Raw)
{
    internal static SyncthingFile From(JsonElement e) => new(
        SyncthingFileEntry.From(e.Obj("local")), SyncthingFileEntry.From(e.Obj("global")),
        e.Obj("availability") is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray().Select(x => x.Str("id")).ToList() : [],
        e);
}

/// <summary>One item of <c>GET /rest/events</c>. <see cref="Id"/> counts within the subscription asked for (pass it back as since=).</summary>
public sealed record SyncthingEvent(long Id, long GlobalId, string Type, DateTimeOffset Time, JsonElement Data)
{
    internal static SyncthingEvent From(JsonElement e) => new(e.Long("id"), e.Long("globalID"), e.Str("type"), e.Time("time"), e.Obj("data"));

    public override string ToString() => $"#{Id} {Type} {Data.GetRawText()}";
}
