using System.Net;
using System.Text.Json;

namespace Lockstep.Testing;

/// <summary>Live config changes over REST: they start from Syncthing's defaults and apply without a restart (bep-v1.md §7).</summary>
public sealed partial class SyncthingRest
{
    /// <summary><c>GET /rest/config/devices</c>: an array of device objects (deviceID, name, addresses, compression…), Syncthing's own first.</summary>
    public Task<JsonElement> GetConfigDevicesAsync(CancellationToken cancellationToken = default) =>
        GetAsync("rest/config/devices", cancellationToken);

    /// <summary><c>GET /rest/config/devices/ID</c>; null when not configured.</summary>
    public Task<JsonElement?> GetConfigDeviceAsync(string deviceId, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"rest/config/devices/{Uri.EscapeDataString(deviceId)}", cancellationToken);

    /// <summary><c>GET /rest/config/folders</c>: an array of folder objects.</summary>
    public Task<JsonElement> GetConfigFoldersAsync(CancellationToken cancellationToken = default) =>
        GetAsync("rest/config/folders", cancellationToken);

    /// <summary><c>GET /rest/config/folders/ID</c>; null when not configured.</summary>
    public Task<JsonElement?> GetConfigFolderAsync(string folderId, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"rest/config/folders/{Uri.EscapeDataString(folderId)}", cancellationToken);

    /// <summary>
    /// <c>POST /rest/config/devices</c> (adds or replaces). A malformed ID is a 400; note that an <em>empty</em> ID is
    /// accepted with 200 and silently ignored by 1.19.
    /// </summary>
    public Task AddDeviceAsync(SyncthingDevice device, CancellationToken cancellationToken = default)
    {
        device.Validate();
        return SendAsync(HttpMethod.Post, "rest/config/devices", new Dictionary<string, object>
        {
            ["deviceID"] = device.Id,
            ["name"] = device.Name ?? "peer",
            ["addresses"] = device.Addresses,
            ["compression"] = SyncthingNames.Of(device.Compression),
            ["introducer"] = device.Introducer,
            ["paused"] = device.Paused,
            ["autoAcceptFolders"] = device.AutoAcceptFolders,
        }, cancellationToken);
    }

    /// <summary>
    /// <c>POST /rest/config/folders</c> (adds or replaces). <see cref="SyncthingFolder.Path"/> is required here; Syncthing
    /// creates the path and its marker. Shared with <see cref="SyncthingFolder.SharedWith"/> (Syncthing adds itself).
    /// </summary>
    public Task AddFolderAsync(SyncthingFolder folder, CancellationToken cancellationToken = default)
    {
        folder.Validate();
        if (folder.Path is null)
            throw new ArgumentException($"folder {folder.Id}: give a path (SyncthingNode.AddFolderAsync defaults it)");
        return SendAsync(HttpMethod.Post, "rest/config/folders", new Dictionary<string, object>
        {
            ["id"] = folder.Id,
            ["label"] = folder.Label ?? folder.Id,
            ["path"] = folder.Path,
            ["type"] = SyncthingNames.Of(folder.Type),
            ["rescanIntervalS"] = (long)folder.RescanInterval.TotalSeconds,
            ["fsWatcherEnabled"] = folder.FsWatcherEnabled,
            ["fsWatcherDelayS"] = 1,
            ["ignorePerms"] = folder.IgnorePerms,
            ["maxConflicts"] = folder.MaxConflicts,
            ["order"] = SyncthingNames.Of(folder.Order),
            ["paused"] = folder.Paused,
            ["devices"] = (folder.SharedWith ?? []).Select(id => new Dictionary<string, string> { ["deviceID"] = id }).ToList(),
        }, cancellationToken);
    }

    /// <summary><c>PATCH /rest/config/devices/ID</c> with the given fields, e.g. <c>new { paused = true }</c>.</summary>
    public Task PatchDeviceAsync(string deviceId, object patch, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, $"rest/config/devices/{Uri.EscapeDataString(deviceId)}", patch, cancellationToken);

    /// <summary>
    /// <c>PATCH /rest/config/folders/ID</c> with the given fields. A <c>devices</c> field replaces the whole list
    /// (Syncthing keeps itself in it).
    /// </summary>
    public Task PatchFolderAsync(string folderId, object patch, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, $"rest/config/folders/{Uri.EscapeDataString(folderId)}", patch, cancellationToken);

    /// <summary><c>PATCH /rest/config/options</c>, e.g. <c>new { reconnectionIntervalS = 1 }</c>.</summary>
    public Task PatchOptionsAsync(object patch, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, "rest/config/options", patch, cancellationToken);

    /// <summary><c>DELETE /rest/config/devices/ID</c>.</summary>
    public Task RemoveDeviceAsync(string deviceId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"rest/config/devices/{Uri.EscapeDataString(deviceId)}", null, cancellationToken);

    /// <summary><c>DELETE /rest/config/folders/ID</c>.</summary>
    public Task RemoveFolderAsync(string folderId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"rest/config/folders/{Uri.EscapeDataString(folderId)}", null, cancellationToken);

    private async Task<JsonElement?> GetOrNullAsync(string path, CancellationToken cancellationToken)
    {
        var (status, body) = await SendRawAsync(HttpMethod.Get, path, null, _requestTimeout, cancellationToken);
        return status == HttpStatusCode.NotFound ? null : Check(HttpMethod.Get, path, status, body);
    }
}
