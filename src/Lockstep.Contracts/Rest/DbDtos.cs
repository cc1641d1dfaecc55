using System.Text.Json.Serialization;

namespace Lockstep.Contracts.Rest;

/// <summary>/rest/db/status?folder=, with Syncthing's field names.</summary>
public sealed record DbStatus
{
    [JsonPropertyName("globalFiles")] public long GlobalFiles { get; init; }
    [JsonPropertyName("globalDirectories")] public long GlobalDirectories { get; init; }
    [JsonPropertyName("globalSymlinks")] public long GlobalSymlinks { get; init; }
    [JsonPropertyName("globalDeleted")] public long GlobalDeleted { get; init; }
    [JsonPropertyName("globalBytes")] public long GlobalBytes { get; init; }
    [JsonPropertyName("globalTotalItems")] public long GlobalTotalItems { get; init; }
    [JsonPropertyName("localFiles")] public long LocalFiles { get; init; }
    [JsonPropertyName("localDirectories")] public long LocalDirectories { get; init; }
    [JsonPropertyName("localSymlinks")] public long LocalSymlinks { get; init; }
    [JsonPropertyName("localDeleted")] public long LocalDeleted { get; init; }
    [JsonPropertyName("localBytes")] public long LocalBytes { get; init; }
    [JsonPropertyName("localTotalItems")] public long LocalTotalItems { get; init; }
    [JsonPropertyName("needFiles")] public long NeedFiles { get; init; }
    [JsonPropertyName("needDirectories")] public long NeedDirectories { get; init; }
    [JsonPropertyName("needSymlinks")] public long NeedSymlinks { get; init; }
    [JsonPropertyName("needDeletes")] public long NeedDeletes { get; init; }
    [JsonPropertyName("needBytes")] public long NeedBytes { get; init; }
    [JsonPropertyName("needTotalItems")] public long NeedTotalItems { get; init; }
    [JsonPropertyName("inSyncFiles")] public long InSyncFiles { get; init; }
    [JsonPropertyName("inSyncBytes")] public long InSyncBytes { get; init; }
    [JsonPropertyName("pullErrors")] public int PullErrors { get; init; }
    [JsonPropertyName("errors")] public int Errors { get; init; }
    [JsonPropertyName("state")] public string State { get; init; } = "";
    [JsonPropertyName("stateChanged")] public DateTimeOffset StateChanged { get; init; }
    [JsonPropertyName("error")] public string Error { get; init; } = "";
    [JsonPropertyName("sequence")] public long Sequence { get; init; }
    [JsonPropertyName("version")] public long Version { get; init; }
    [JsonPropertyName("ignorePatterns")] public bool IgnorePatterns { get; init; }
    /// <summary>Deprecated in Syncthing and always empty; kept so its readers find it.</summary>
    [JsonPropertyName("invalid")] public string Invalid { get; init; } = "";
}

/// <summary>/rest/db/completion?folder=&amp;device=, with Syncthing's field names.</summary>
public sealed record DbCompletion(
    [property: JsonPropertyName("completion")] double Completion,
    [property: JsonPropertyName("globalBytes")] long GlobalBytes,
    [property: JsonPropertyName("needBytes")] long NeedBytes,
    [property: JsonPropertyName("globalItems")] long GlobalItems,
    [property: JsonPropertyName("needItems")] long NeedItems,
    [property: JsonPropertyName("needDeletes")] long NeedDeletes,
    [property: JsonPropertyName("remoteState")] string RemoteState,
    [property: JsonPropertyName("sequence")] long Sequence);

/// <summary>/rest/db/need?folder=: Syncthing's three lists (in progress, queued, the rest) and the page.</summary>
public sealed record DbNeed(
    [property: JsonPropertyName("progress")] List<DbFile> Progress,
    [property: JsonPropertyName("queued")] List<DbFile> Queued,
    [property: JsonPropertyName("rest")] List<DbFile> Rest,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("perpage")] int PerPage);

/// <summary>
/// A file as Syncthing's REST API shows one (its fileIntfJSONMap): in /rest/db/file, and in the need lists, where
/// numBlocks is null ("explicitly unknown", as Syncthing writes it for truncated entries). version lists the version
/// vector as "SHORTID:counter"; permissions ("0644") only when the file carries permission bits.
/// </summary>
public sealed record DbFile
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("type")] public string Type { get; init; } = "";
    [JsonPropertyName("size")] public long Size { get; init; }
    [JsonPropertyName("deleted")] public bool Deleted { get; init; }
    [JsonPropertyName("invalid")] public bool Invalid { get; init; }
    [JsonPropertyName("ignored")] public bool Ignored { get; init; }
    [JsonPropertyName("mustRescan")] public bool MustRescan { get; init; }
    [JsonPropertyName("noPermissions")] public bool NoPermissions { get; init; }
    /// <summary>RFC 3339 with the nanoseconds the file carries, in UTC, as Go writes it.</summary>
    [JsonPropertyName("modified")] public string Modified { get; init; } = "";
    [JsonPropertyName("modifiedBy")] public string ModifiedBy { get; init; } = "";
    [JsonPropertyName("sequence")] public long Sequence { get; init; }
    [JsonPropertyName("version")] public List<string> Version { get; init; } = [];
    [JsonPropertyName("localFlags")] public int LocalFlags { get; init; }
    [JsonPropertyName("numBlocks")] public int? NumBlocks { get; init; }
    [JsonPropertyName("permissions"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Permissions { get; init; }
}

/// <summary>A device that has the global version of a file (/rest/db/file's availability).</summary>
public sealed record DbAvailability(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("fromTemporary")] bool FromTemporary);

/// <summary>/rest/db/file?folder=&amp;file=: the cluster's newest version, ours, who has the newest, and the mtime mapping.</summary>
public sealed record DbFileAnswer(
    [property: JsonPropertyName("availability")] List<DbAvailability> Availability,
    [property: JsonPropertyName("global")] DbFile Global,
    [property: JsonPropertyName("local")] DbFile Local,
    [property: JsonPropertyName("mtime")] DbMtime Mtime);

/// <summary>
/// Syncthing's record of a file system that cannot store a modification time (its mtime layer). Lockstep stores
/// times as they are, so there is no mapping: both times are Go's zero time, as Syncthing shows for such a file.
/// </summary>
public sealed record DbMtime(
    [property: JsonPropertyName("err")] string? Err,
    [property: JsonPropertyName("value")] DbMtimeValue Value)
{
    public static DbMtime None { get; } = new(null, new DbMtimeValue("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"));
}

public sealed record DbMtimeValue(
    [property: JsonPropertyName("real")] string Real,
    [property: JsonPropertyName("virtual")] string Virtual);

/// <summary>/rest/db/remoteneed?folder=&amp;device=: what that device still needs, paged (Syncthing's shape).</summary>
public sealed record DbRemoteNeed(
    [property: JsonPropertyName("files")] List<DbFile> Files,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("perpage")] int PerPage);
