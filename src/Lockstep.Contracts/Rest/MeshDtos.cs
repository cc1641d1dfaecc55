using System.Text.Json.Serialization;

namespace Lockstep.Contracts.Rest;

// The SyncMesh-shaped /api/v1/ answers (ARCHITECTURE.md §3), for tools written against that API.

/// <summary>/api/v1/health (no key needed).</summary>
public sealed record MeshHealth(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("uptimeSeconds")] long UptimeSeconds);

/// <summary>/api/v1/info.</summary>
public sealed record MeshInfo(
    [property: JsonPropertyName("nodeId")] string NodeId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version);

/// <summary>/api/v1/cluster/status: nodes counts this one; healthy when every node is connected and no folder is in error.</summary>
public sealed record MeshClusterStatus(
    [property: JsonPropertyName("nodes")] int Nodes,
    [property: JsonPropertyName("connected")] int Connected,
    [property: JsonPropertyName("healthy")] bool Healthy);

/// <summary>One entry of /api/v1/cluster/nodes; lastSeen is null for a device never connected since this node started.</summary>
public sealed record MeshNode(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("connected")] bool Connected,
    [property: JsonPropertyName("lastSeen")] DateTimeOffset? LastSeen);

/// <summary>One folder of /api/v1/sync/status.</summary>
public sealed record MeshFolderStatus(
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("files")] long Files,
    [property: JsonPropertyName("syncedFiles")] long SyncedFiles,
    [property: JsonPropertyName("needFiles")] long NeedFiles,
    [property: JsonPropertyName("needBytes")] long NeedBytes);

/// <summary>
/// One file of /api/v1/sync/files: its cluster-wide newest version (size, modification time, hash: the SHA-256 of
/// its block hashes, hex) and whether this node holds exactly that version.
/// </summary>
public sealed record MeshFile(
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("modified")] DateTimeOffset Modified,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("synced")] bool Synced);

/// <summary>/api/v1/sync/files: one page.</summary>
public sealed record MeshFilePage(
    [property: JsonPropertyName("files")] List<MeshFile> Files,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("perPage")] int PerPage,
    [property: JsonPropertyName("total")] int Total);

/// <summary>What one device announced for a file (its version vector as Syncthing prints it).</summary>
public sealed record MeshFileVersion(
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("modified")] DateTimeOffset Modified,
    [property: JsonPropertyName("deleted")] bool Deleted,
    [property: JsonPropertyName("hash")] string Hash);

/// <summary>/api/v1/sync/files/{path}: the file and each device's version of it.</summary>
public sealed record MeshFileDetail(
    [property: JsonPropertyName("file")] MeshFile File,
    [property: JsonPropertyName("versions")] List<MeshFileVersion> Versions);
