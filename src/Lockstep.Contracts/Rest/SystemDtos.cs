using System.Text.Json.Serialization;

namespace Lockstep.Contracts.Rest;

/// <summary>/rest/system/status, with Syncthing's field names for the fields Lockstep can fill.</summary>
public sealed record SystemStatus(
    [property: JsonPropertyName("myID")] string MyId,
    [property: JsonPropertyName("uptime")] long Uptime,
    [property: JsonPropertyName("startTime")] DateTimeOffset StartTime,
    [property: JsonPropertyName("alloc")] long Alloc,
    [property: JsonPropertyName("sys")] long Sys,
    [property: JsonPropertyName("goroutines")] int Goroutines,
    [property: JsonPropertyName("pathSeparator")] string PathSeparator,
    [property: JsonPropertyName("tilde")] string Tilde);

/// <summary>/rest/system/version.</summary>
public sealed record SystemVersion(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("longVersion")] string LongVersion,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("arch")] string Arch,
    [property: JsonPropertyName("codename")] string Codename);

/// <summary>/rest/system/ping and /rest/noauth/health answers.</summary>
public sealed record PingAnswer([property: JsonPropertyName("ping")] string Ping);

public sealed record HealthAnswer([property: JsonPropertyName("status")] string Status);

/// <summary>Any error answer: what went wrong, naming the parameter or the folder and the fix.</summary>
public sealed record ErrorAnswer([property: JsonPropertyName("error")] string Error);

/// <summary>One device in /rest/system/connections.</summary>
public sealed record DeviceConnection(
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("inBytesTotal")] long InBytesTotal,
    [property: JsonPropertyName("outBytesTotal")] long OutBytesTotal,
    [property: JsonPropertyName("startedAt")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("connected")] bool Connected,
    [property: JsonPropertyName("paused")] bool Paused,
    [property: JsonPropertyName("clientVersion")] string ClientVersion,
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("crypto")] string Crypto,
    [property: JsonPropertyName("isLocal")] bool IsLocal);

public sealed record ConnectionTotal(
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("inBytesTotal")] long InBytesTotal,
    [property: JsonPropertyName("outBytesTotal")] long OutBytesTotal);

/// <summary>/rest/system/connections: every configured device by ID, and the totals.</summary>
public sealed record ConnectionsAnswer(
    [property: JsonPropertyName("connections")] Dictionary<string, DeviceConnection> Connections,
    [property: JsonPropertyName("total")] ConnectionTotal Total);

/// <summary>/readyz: ready only when every check is ok; each check says what it found.</summary>
public sealed record ReadyAnswer(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("ready")] bool Ready,
    [property: JsonPropertyName("checks")] List<ReadyCheck> Checks);

public sealed record ReadyCheck(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("detail")] string Detail);

/// <summary>One entry of /rest/cluster/pending/devices (keyed by device ID): a device that tried to connect and is not configured.</summary>
public sealed record PendingDeviceEntry(
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("address")] string Address);

/// <summary>PendingDevicesChanged: Syncthing's event data (added entries carry the address, removed ones only the ID).</summary>
public sealed record PendingDevicesChangedData(
    [property: JsonPropertyName("added"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<PendingDeviceAdded>? Added,
    [property: JsonPropertyName("removed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<PendingDeviceRemoved>? Removed);

public sealed record PendingDeviceAdded(
    [property: JsonPropertyName("deviceID")] string DeviceId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("address")] string Address);

public sealed record PendingDeviceRemoved([property: JsonPropertyName("deviceID")] string DeviceId);
