using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lockstep.Contracts.Rest;

/// <summary>
/// One event of /rest/events, as Syncthing writes it: <c>id</c> (what <c>since</c> and SSE's Last-Event-ID refer
/// to), <c>globalID</c>, <c>time</c>, <c>type</c> and the type's own <c>data</c>.
/// </summary>
public sealed record EventEntry(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("globalID")] long GlobalId,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("data")] JsonElement Data);

/// <summary>StateChanged: a folder went from one state to another; duration is seconds spent in the old one.</summary>
public sealed record StateChangedData(
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("duration")] double Duration,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);

/// <summary>DeviceConnected.</summary>
public sealed record DeviceConnectedData(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("addr")] string Addr,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("clientName")] string ClientName,
    [property: JsonPropertyName("clientVersion")] string ClientVersion,
    [property: JsonPropertyName("deviceName")] string DeviceName);

/// <summary>DeviceDisconnected: error is why the connection ended.</summary>
public sealed record DeviceDisconnectedData(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("error")] string Error);

/// <summary>LocalIndexUpdated: this node committed new versions (a scan or a pull); sequence is the highest of them.</summary>
public sealed record LocalIndexUpdatedData(
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("items")] int Items,
    [property: JsonPropertyName("filenames")] List<string> Filenames,
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("version")] long Version);

/// <summary>RemoteIndexUpdated: a device sent an Index or IndexUpdate; sequence is the highest we hold of it.</summary>
public sealed record RemoteIndexUpdatedData(
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("items")] int Items,
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("version")] long Version);

/// <summary>FolderSummary: the folder's /rest/db/status, sent when the folder settles.</summary>
public sealed record FolderSummaryData(
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("summary")] DbStatus Summary);

/// <summary>StartupComplete: the node listens and serves its API.</summary>
public sealed record StartupCompleteData([property: JsonPropertyName("myID")] string MyId);

/// <summary>FolderScanProgress: bytes hashed so far of those the scan found to hash, and the rate (bytes/s) since it began.</summary>
public sealed record FolderScanProgressData(
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("current")] long Current,
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("rate")] double Rate);

/// <summary>ItemStarted: a pull began applying an item.</summary>
public sealed record ItemStartedData(
    [property: JsonPropertyName("item")] string Item,
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("action")] string Action);

/// <summary>ItemFinished: a pull is done with an item; error is null when it was applied.</summary>
public sealed record ItemFinishedData(
    [property: JsonPropertyName("item")] string Item,
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("action")] string Action);

/// <summary>FolderCompletion: how complete a device is for a folder, as /rest/db/completion says it.</summary>
public sealed record FolderCompletionData(
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("completion")] double Completion,
    [property: JsonPropertyName("globalBytes")] long GlobalBytes,
    [property: JsonPropertyName("needBytes")] long NeedBytes,
    [property: JsonPropertyName("globalItems")] long GlobalItems,
    [property: JsonPropertyName("needItems")] long NeedItems,
    [property: JsonPropertyName("needDeletes")] long NeedDeletes,
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("remoteState")] string RemoteState);
