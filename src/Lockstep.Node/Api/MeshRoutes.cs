using System.Security.Cryptography;
using Lockstep.Contracts;
using Lockstep.Contracts.Rest;
using Lockstep.Node.Hosting;
using Lockstep.Node.Peers;
using Lockstep.Sync.Folders;
using Lockstep.Sync.Global;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using FileInfo = Lockstep.Protocol.Messages.FileInfo;

namespace Lockstep.Node.Api;

/// <summary>
/// The SyncMesh-shaped paths under <c>/api/v1/</c> (ARCHITECTURE.md §3), answered from the same state as Syncthing's
/// paths: health, info, the cluster's nodes and health, each folder's sync status, and its files (paged, one with
/// every device's version, and a rescan of one).
/// </summary>
internal static class MeshRoutes
{
    public static void Map(IEndpointRouteBuilder app, NodeHost node)
    {
        app.MapGet("/api/v1/health", () => Results.Json(new MeshHealth("ok", PeerManager.ClientVersion, Uptime(node)), ContractsJsonContext.Default.MeshHealth));
        app.MapGet("/api/v1/info", () => Results.Json(new MeshInfo(node.DeviceId.ToString(), node.Config?.Name ?? "", PeerManager.ClientVersion),
            ContractsJsonContext.Default.MeshInfo));
        app.MapGet("/api/v1/cluster/status", () =>
        {
            var nodes = Nodes(node);
            bool healthy = nodes.All(n => n.Connected) && node.Runners.All(r => r.State != FolderState.Error);
            return Results.Json(new MeshClusterStatus(nodes.Count + 1, nodes.Count(n => n.Connected), healthy), ContractsJsonContext.Default.MeshClusterStatus);
        });
        app.MapGet("/api/v1/cluster/nodes", () => Results.Json(Nodes(node), ContractsJsonContext.Default.ListMeshNode));
        app.MapGet("/api/v1/sync/status", () => Results.Json(node.Runners.Select(r =>
        {
            var s = node.Summaries.Of(r);
            return new MeshFolderStatus(r.FolderId, FolderStatusView.StateName(r.State), s.Global.Files, s.Global.Files - s.Need.Files,
                s.Need.Files, s.Need.Bytes);
        }).ToList(), ContractsJsonContext.Default.ListMeshFolderStatus));
        app.MapGet("/api/v1/sync/files", (string? folder, int? page, int? perPage) =>
        {
            if (Runner(node, folder) is not { } runner)
                return NoFolder(node, folder);
            int p = Math.Max(1, page ?? 1), per = Math.Clamp(perPage ?? 100, 1, 10_000);
            var all = GlobalView.Enumerate(node.Index!.Folder(runner.FolderId), runner.Settings.Peers).Where(e => !e.Global.Deleted).ToList();
            var files = all.Skip((p - 1) * per).Take(per).Select(e => ToFile(runner.FolderId, e)).ToList();
            return Results.Json(new MeshFilePage(files, p, per, all.Count), ContractsJsonContext.Default.MeshFilePage);
        });
        app.MapGet("/api/v1/sync/files/{**path}", (string path, string? folder) =>
        {
            if (Runner(node, folder) is not { } runner)
                return NoFolder(node, folder);
            var entry = GlobalView.Of(node.Index!.Folder(runner.FolderId), runner.Settings.Peers, [path.Trim('/')]).FirstOrDefault();
            if (entry is null)
                return Results.Json(new ErrorAnswer($"no file '{path}' in folder '{runner.FolderId}' on any device"), ContractsJsonContext.Default.ErrorAnswer,
                    statusCode: StatusCodes.Status404NotFound);
            var versions = new List<MeshFileVersion>();
            if (entry.Local is { } local)
                versions.Add(ToVersion(node.DeviceId.ToString(), local));
            versions.AddRange(entry.Remote.Select(r => ToVersion(r.Device.ToString(), r.File)));
            return Results.Json(new MeshFileDetail(ToFile(runner.FolderId, entry), versions), ContractsJsonContext.Default.MeshFileDetail);
        });
        app.MapPost("/api/v1/sync/files/{**path}", async (string path, string? folder) =>
        {
            // POST .../{path}/sync: rescan the path, so a change is found and announced now rather than at the next scan.
            if (!path.EndsWith("/sync", StringComparison.Ordinal))
                return Results.Json(new ErrorAnswer($"POST /api/v1/sync/files/{path}: only .../PATH/sync is a command"), ContractsJsonContext.Default.ErrorAnswer,
                    statusCode: StatusCodes.Status404NotFound);
            if (Runner(node, folder) is not { } runner)
                return NoFolder(node, folder);
            var name = path[..^"/sync".Length].Trim('/');
            try
            {
                await runner.ScanAsync([name]);
            }
            catch (FolderErrorException e)
            {
                return Results.Json(new ErrorAnswer(e.Message), ContractsJsonContext.Default.ErrorAnswer, statusCode: StatusCodes.Status409Conflict);
            }
            return Results.Json(new CommandAnswer(runner.FolderId, $"rescanned '{name}'"), ContractsJsonContext.Default.CommandAnswer);
        });
    }

    private static long Uptime(NodeHost node) => (long)(DateTimeOffset.UtcNow - node.StartedAt).TotalSeconds;

    /// <summary>The folder named, or the only one when there is just one and none is named.</summary>
    private static FolderRunner? Runner(NodeHost node, string? folder) =>
        string.IsNullOrEmpty(folder) ? node.Runners.Count == 1 ? node.Runners[0] : null : node.Runners.FirstOrDefault(r => r.FolderId == folder);

    private static IResult NoFolder(NodeHost node, string? folder) => Results.Json(new ErrorAnswer(string.IsNullOrEmpty(folder)
            ? $"add ?folder=ID (this node has {(node.Runners.Count == 0 ? "no folders" : string.Join(", ", node.Runners.Select(r => r.FolderId)))})"
            : $"no folder '{folder}' on this node"), ContractsJsonContext.Default.ErrorAnswer,
        statusCode: string.IsNullOrEmpty(folder) ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound);

    private static List<MeshNode> Nodes(NodeHost node) => (node.Config?.Devices ?? []).Select(d =>
    {
        var status = node.Peers?.Status(d.Id);
        var address = status?.Address ?? string.Join(",", d.Addresses.IsDefaultOrEmpty ? ["dynamic"] : d.Addresses);
        return new MeshNode(d.Id.ToString(), d.Name, address, status is not null, node.Peers?.LastSeen(d.Id));
    }).ToList();

    private static MeshFile ToFile(string folder, GlobalEntry e) =>
        new(folder, e.Name, e.Global.Size, Modified(e.Global), Hash(e.Global), e.LocalIsGlobal);

    private static MeshFileVersion ToVersion(string device, FileInfo f) =>
        new(device, f.Version.ToString(), f.Size, Modified(f), f.Deleted, Hash(f));

    private static DateTimeOffset Modified(FileInfo f) => DateTimeOffset.FromUnixTimeSeconds(f.ModifiedS).AddTicks(f.ModifiedNs / 100);

    /// <summary>The SHA-256 of the file's block hashes in order (hex): equal for equal contents at the same block size.</summary>
    private static string Hash(FileInfo f)
    {
        if (f.Deleted || f.IsDirectory || f.IsSymlink)
            return "";
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var block in f.Blocks)
            sha.AppendData(block.Hash);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
