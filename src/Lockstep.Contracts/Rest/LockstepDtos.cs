using System.Text.Json.Serialization;

namespace Lockstep.Contracts.Rest;

/// <summary>One folder in `lockstep status --json` (/rest/lockstep/status).</summary>
public sealed record FolderStatusItem(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("localFiles")] long LocalFiles,
    [property: JsonPropertyName("localBytes")] long LocalBytes,
    [property: JsonPropertyName("globalFiles")] long GlobalFiles,
    [property: JsonPropertyName("globalBytes")] long GlobalBytes,
    [property: JsonPropertyName("needFiles")] long NeedFiles,
    [property: JsonPropertyName("needBytes")] long NeedBytes,
    [property: JsonPropertyName("conflicts")] int Conflicts,
    [property: JsonPropertyName("completion")] Dictionary<string, double> Completion,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("pullErrors")] List<PullErrorItem> PullErrors,
    [property: JsonPropertyName("pull")] PullCounters Pull);

/// <summary>A folder's pull since the node started: items and bytes of the current pass, and where bytes came from.</summary>
public sealed record PullCounters(
    [property: JsonPropertyName("needItems")] long NeedItems,
    [property: JsonPropertyName("doneItems")] long DoneItems,
    [property: JsonPropertyName("needBytes")] long NeedBytes,
    [property: JsonPropertyName("doneBytes")] long DoneBytes,
    [property: JsonPropertyName("inFlightBytes")] long InFlightBytes,
    [property: JsonPropertyName("requestedBytes")] long RequestedBytes,
    [property: JsonPropertyName("copiedBytes")] long CopiedBytes);

public sealed record PullErrorItem(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("error")] string Error);

/// <summary>One device in `lockstep status --json`.</summary>
public sealed record DeviceStatusItem(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("connected")] bool Connected,
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("inBytesTotal")] long InBytesTotal,
    [property: JsonPropertyName("outBytesTotal")] long OutBytesTotal);

/// <summary>`lockstep status --json`: every folder and every device of the running node.</summary>
public sealed record NodeStatus(
    [property: JsonPropertyName("folders")] List<FolderStatusItem> Folders,
    [property: JsonPropertyName("devices")] List<DeviceStatusItem> Devices);

/// <summary>The answer to a runtime command (scan, pause, resume, override, revert): what the node did.</summary>
public sealed record CommandAnswer(
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("done")] string Done);

/// <summary>A copy kept by versioning (/rest/lockstep/versions, `lockstep versions list --json`).</summary>
public sealed record VersionItem(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("versionTime")] DateTimeOffset VersionTime,
    [property: JsonPropertyName("modTime")] DateTimeOffset ModTime,
    [property: JsonPropertyName("size")] long Size);

/// <summary>A conflict copy and its live file (/rest/lockstep/conflicts, `lockstep conflicts list --json`).</summary>
public sealed record ConflictEntry(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("copy")] string Copy,
    [property: JsonPropertyName("copySize")] long CopySize,
    [property: JsonPropertyName("copyModified")] DateTimeOffset CopyModified,
    [property: JsonPropertyName("liveExists")] bool LiveExists,
    [property: JsonPropertyName("liveSize")] long LiveSize,
    [property: JsonPropertyName("liveModified")] DateTimeOffset LiveModified);

/// <summary>PUT /rest/lockstep/config/file: config.yaml's new text, taken only if the file still has the fingerprint the editor read.</summary>
public sealed record ConfigFileReplace(
    [property: System.Text.Json.Serialization.JsonPropertyName("fingerprint")] string Fingerprint,
    [property: System.Text.Json.Serialization.JsonPropertyName("yaml")] string Yaml);
