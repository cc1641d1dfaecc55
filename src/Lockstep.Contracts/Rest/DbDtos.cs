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

/// <summary>A file as /rest/db/need lists it.</summary>
public sealed record NeedFile(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("modified")] DateTimeOffset Modified,
    [property: JsonPropertyName("deleted")] bool Deleted,
    [property: JsonPropertyName("modifiedBy")] string ModifiedBy,
    [property: JsonPropertyName("sequence")] long Sequence);

/// <summary>/rest/db/need?folder=: Syncthing's three lists (in progress, queued, the rest) and the page.</summary>
public sealed record DbNeed(
    [property: JsonPropertyName("progress")] List<NeedFile> Progress,
    [property: JsonPropertyName("queued")] List<NeedFile> Queued,
    [property: JsonPropertyName("rest")] List<NeedFile> Rest,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("perpage")] int PerPage);
