using System.Diagnostics;
using System.Runtime.InteropServices;
using Lockstep.Contracts.Rest;
using Lockstep.Node.Config;
using Lockstep.Node.Hosting;
using Lockstep.Node.Peers;
using Lockstep.Protocol.Identity;
using Lockstep.Sync.Folders;
using Lockstep.Sync.Global;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lockstep.Node.Api;

/// <summary>The endpoints this issue needs (the node service issue completes the set).</summary>
internal sealed class ApiRoutes(NodeHost node, NodeConfig config)
{
    public void Map(IEndpointRouteBuilder app)
    {
        HealthRoutes.Map(app, node);
        app.MapGet("/rest/system/ping", () => Results.Json(new PingAnswer("pong")));
        app.MapPost("/rest/system/ping", () => Results.Json(new PingAnswer("pong")));
        app.MapGet("/rest/system/version", () => Results.Json(Version()));
        app.MapGet("/rest/system/status", () => Results.Json(Status()));
        app.MapGet("/rest/system/connections", () => Results.Json(Connections()));

        app.MapGet("/rest/db/status", (string? folder) => WithFolder(folder, r => Results.Json(DbStatusOf(r))));
        app.MapGet("/rest/db/completion", (string? folder, string? device) => WithFolder(folder, r => Completion(r, device)));
        app.MapGet("/rest/db/file", (string? folder, string? file) => WithFolder(folder, r => File(r, file)));
        app.MapGet("/rest/db/remoteneed", (string? folder, string? device, int? page, int? perpage) =>
            WithFolder(folder, r => RemoteNeed(r, device, page ?? 1, perpage ?? MaxPerPage)));
        app.MapGet("/rest/db/need", (string? folder, int? page, int? perpage) => WithFolder(folder, r => Results.Json(Need(r, page ?? 1, perpage ?? MaxPerPage))));
        app.MapPost("/rest/db/scan", (string? folder, string? sub) => WithFolderAsync(folder, async r =>
        {
            await r.ScanAsync(string.IsNullOrEmpty(sub) ? null : [sub.Trim('/')]);
            return Results.Json(new CommandAnswer(r.FolderId, "scanned"));
        }));
        app.MapPost("/rest/db/override", (string? folder) => WithFolderAsync(folder, async r => Results.Json(new CommandAnswer(r.FolderId, await r.OverrideAsync()))));
        app.MapPost("/rest/db/revert", (string? folder) => WithFolderAsync(folder, async r => Results.Json(new CommandAnswer(r.FolderId, await r.RevertAsync()))));

        EventRoutes.Map(app, node.Events);
        MeshRoutes.Map(app, node);
        ConfigRoutes.Map(app, node);
        PendingRoutes.Map(app, node);

        app.MapGet("/rest/lockstep/status", () => Results.Json(NodeStatus()));
        app.MapGet("/rest/lockstep/conflicts", (string? folder) => WithFolder(folder, r => Results.Json(r.ConflictList()
            .Select(c => new ConflictEntry(c.Path, c.Copy, c.CopySize, c.CopyModified, c.LiveExists, c.LiveSize, c.LiveModified)).ToList())));
        app.MapPost("/rest/lockstep/conflicts/resolve", (string? folder, string? path, string? keep) => WithFolderAsync(folder, async r =>
        {
            if (string.IsNullOrEmpty(path))
                return Results.Json(new ErrorAnswer("the path parameter is missing: add &path=NAME (the file the conflict copies were made from)"), statusCode: StatusCodes.Status400BadRequest);
            if (!Enum.TryParse<ConflictKeep>(keep, ignoreCase: true, out var choice) || int.TryParse(keep, out _))
                return Results.Json(new ErrorAnswer($"keep={keep}: use keep=local (the live file), keep=remote (the newest copy) or keep=both"), statusCode: StatusCodes.Status400BadRequest);
            try
            {
                var touched = await r.ResolveConflictAsync(path.Trim('/'), choice);
                return Results.Json(new CommandAnswer(r.FolderId, $"resolved '{path}' keeping {choice.ToString().ToLowerInvariant()}; changed: {string.Join(", ", touched)}"));
            }
            catch (Exception e) when (e is IOException or ArgumentException)
            {
                return Results.Json(new ErrorAnswer(e.Message), statusCode: StatusCodes.Status404NotFound);
            }
        }));
        app.MapGet("/rest/lockstep/versions", (string? folder, string? path) => WithFolder(folder, r =>
            Results.Json(r.Versions(string.IsNullOrEmpty(path) ? null : path.Trim('/')).Select(ToItem).ToList())));
        app.MapPost("/rest/lockstep/versions/restore", (string? folder, string? path, DateTimeOffset? version) => WithFolderAsync(folder, async r =>
        {
            if (string.IsNullOrEmpty(path))
                return Results.Json(new ErrorAnswer("the path parameter is missing: add &path=NAME (a file inside the folder)"), statusCode: StatusCodes.Status400BadRequest);
            try
            {
                return Results.Json(ToItem(await r.RestoreVersionAsync(path.Trim('/'), version)));
            }
            catch (Exception e) when (e is IOException or ArgumentException)
            {
                return Results.Json(new ErrorAnswer(e.Message), statusCode: StatusCodes.Status404NotFound);
            }
        }));
        app.MapPost("/rest/lockstep/folders/{id}/pause", (string id) => WithFolderAsync(id, async r =>
        {
            await r.PauseAsync();
            return Results.Json(new CommandAnswer(r.FolderId, "paused"));
        }));
        app.MapPost("/rest/lockstep/folders/{id}/resume", (string id, bool? allowDeletes) => WithFolderAsync(id, async r =>
        {
            await r.ResumeAsync(allowDeletes ?? false);
            return Results.Json(new CommandAnswer(r.FolderId, allowDeletes == true ? "resumed; deletes past the limit allowed once" : "resumed"));
        }));
    }

    /// <summary>The configuration the node runs with now (it changes live).</summary>
    private NodeConfig Current => node.Config ?? config;

    // ---------------------------------------------------------------- folders

    private FolderRunner? Runner(string? id) => node.Runners.FirstOrDefault(r => r.FolderId == id);

    private IResult WithFolder(string? folder, Func<FolderRunner, IResult> body) =>
        Runner(folder) is { } runner ? body(runner) : NoFolder(folder);

    private async Task<IResult> WithFolderAsync(string? folder, Func<FolderRunner, Task<IResult>> body)
    {
        if (Runner(folder) is not { } runner)
            return NoFolder(folder);
        try
        {
            return await body(runner);
        }
        catch (Exception e) when (e is FolderErrorException or InvalidOperationException)
        {
            return Results.Json(new ErrorAnswer(e.Message), statusCode: StatusCodes.Status409Conflict);
        }
    }

    private IResult NoFolder(string? folder) => Results.Json(new ErrorAnswer(string.IsNullOrEmpty(folder)
        ? "the folder parameter is missing: add ?folder=ID (" + Known() + ")"
        : $"no folder '{folder}' on this node ({Known()})"), statusCode: folder is null ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound);

    private string Known() => node.Runners.Count == 0 ? "it has none" : "it has " + string.Join(", ", node.Runners.Select(r => r.FolderId));

    private FolderSummary Summary(FolderRunner runner) => node.Summaries.Of(runner);

    private DbStatus DbStatusOf(FolderRunner runner) => FolderStatusView.Of(runner, Summary(runner));

    private IResult Completion(FolderRunner runner, string? device)
    {
        var s = Summary(runner);
        if (string.IsNullOrEmpty(device))
        {
            // Syncthing: without a device, the aggregate over the remote devices.
            var all = s.Peers.Values.ToList();
            long global = all.Sum(c => c.GlobalBytes), need = all.Sum(c => c.NeedBytes);
            double percent = all.Count == 0 ? 100 : all.Average(c => c.Percent);
            return Results.Json(new DbCompletion(percent, global, need, all.Sum(c => c.GlobalItems), all.Sum(c => c.NeedItems), all.Sum(c => c.NeedDeletes), "valid", s.Sequence));
        }
        if (!DeviceId.TryParse(device, out var id, out _))
            return Results.Json(new ErrorAnswer($"device '{device}' is not a device ID"), statusCode: StatusCodes.Status400BadRequest);
        if (id == node.DeviceId)
        {
            var mine = new DeviceCompletion(s.Global.Total, s.Global.Bytes, s.Need.Total, s.Need.Bytes, s.Need.Deleted);
            return Results.Json(new DbCompletion(mine.Percent, mine.GlobalBytes, mine.NeedBytes, mine.GlobalItems, mine.NeedItems, mine.NeedDeletes, "valid", s.Sequence));
        }
        if (!s.Peers.TryGetValue(id, out var c))
            return Results.Json(new ErrorAnswer($"folder '{runner.FolderId}' is not shared with device {id}"), statusCode: StatusCodes.Status404NotFound);
        bool known = node.Index!.Folder(runner.FolderId).GetRemoteState(id).MaxSequence > 0 || node.Peers?.IsConnected(id) == true;
        return Results.Json(new DbCompletion(c.Percent, c.GlobalBytes, c.NeedBytes, c.GlobalItems, c.NeedItems, c.NeedDeletes, known ? "valid" : "unknown", s.Sequence));
    }

    private DbNeed Need(FolderRunner runner, int page, int perPage)
    {
        page = Math.Max(1, page);
        perPage = Math.Clamp(perPage, 1, MaxPerPage);
        var needed = GlobalView.Enumerate(node.Index!.Folder(runner.FolderId), runner.Settings.Peers)
            .Where(e => e.LocalNeeds)
            .Skip((page - 1) * perPage).Take(perPage)
            .Select(e => DbFileView.Of(e.Global, truncated: true))
            .ToList();
        return new DbNeed([], [], needed, page, perPage);
    }

    /// <summary>Syncthing's default and largest page of the need lists (1 &lt;&lt; 16).</summary>
    private const int MaxPerPage = 1 << 16;

    private IResult File(FolderRunner runner, string? file)
    {
        if (string.IsNullOrEmpty(file))
            return Results.Json(new ErrorAnswer("the file parameter is missing: add &file=NAME (a path inside the folder)"), statusCode: StatusCodes.Status400BadRequest);
        var entry = GlobalView.Of(node.Index!.Folder(runner.FolderId), runner.Settings.Peers, [file.Trim('/')]).FirstOrDefault();
        if (entry is null)
            return Results.Json(new ErrorAnswer($"no such object in the index: '{file}' in folder '{runner.FolderId}'"), statusCode: StatusCodes.Status404NotFound);
        var availability = entry.Availability.Where(d => d != node.DeviceId).Select(d => new DbAvailability(d.ToString(), false)).ToList();
        var local = entry.Local is { } l ? DbFileView.Of(l, truncated: false) : new DbFile { Name = entry.Name, Type = DbFileView.TypeName(entry.Global) };
        return Results.Json(new DbFileAnswer(availability, DbFileView.Of(entry.Global, truncated: false), local, DbMtime.None));
    }

    private IResult RemoteNeed(FolderRunner runner, string? device, int page, int perPage)
    {
        if (!DeviceId.TryParse(device ?? "", out var id, out _))
            return Results.Json(new ErrorAnswer($"device '{device}' is not a device ID: add &device=ID"), statusCode: StatusCodes.Status400BadRequest);
        if (!runner.Settings.Peers.Contains(id))
            return Results.Json(new ErrorAnswer($"folder '{runner.FolderId}' is not shared with device {id}"), statusCode: StatusCodes.Status404NotFound);
        page = Math.Max(1, page);
        perPage = Math.Clamp(perPage, 1, MaxPerPage);
        var needed = GlobalView.Enumerate(node.Index!.Folder(runner.FolderId), runner.Settings.Peers)
            .Where(e => e.DeviceNeeds(id))
            .Skip((page - 1) * perPage).Take(perPage)
            .Select(e => DbFileView.Of(e.Global, truncated: true))
            .ToList();
        return Results.Json(new DbRemoteNeed(needed, page, perPage));
    }

    private static VersionItem ToItem(Lockstep.Sync.Versioning.FileVersion v) => new(v.Name, v.VersionTime, v.ModTime, v.Size);

    // ---------------------------------------------------------------- system and devices

    private static SystemVersion Version()
    {
        var v = PeerManager.ClientVersion;
        return new SystemVersion(v, $"lockstep {v} (.NET {Environment.Version} {RuntimeInformation.OSArchitecture})",
            "linux", RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(), "Lockstep");
    }

    private SystemStatus Status()
    {
        using var process = Process.GetCurrentProcess();
        var started = node.StartedAt;
        return new SystemStatus(node.DeviceId.ToString(), (long)(DateTimeOffset.UtcNow - started).TotalSeconds, started,
            GC.GetTotalMemory(false), process.WorkingSet64, process.Threads.Count, "/",
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
    }

    private ConnectionsAnswer Connections()
    {
        var now = DateTimeOffset.UtcNow;
        var connections = new Dictionary<string, DeviceConnection>();
        long totalIn = 0, totalOut = 0;
        foreach (var device in Current.Devices)
        {
            var s = node.Peers?.Status(device.Id);
            connections[device.Id.ToString()] = s is null
                ? new DeviceConnection(now, 0, 0, DateTimeOffset.UnixEpoch, false, false, "", "", "", "", false)
                : new DeviceConnection(now, s.InBytesTotal, s.OutBytesTotal, s.StartedAt, true, false, s.ClientVersion, s.Address, s.Type, s.Crypto,
                    s.Address.StartsWith("127.", StringComparison.Ordinal) || s.Address.StartsWith("[::1]", StringComparison.Ordinal));
            totalIn += s?.InBytesTotal ?? 0;
            totalOut += s?.OutBytesTotal ?? 0;
        }
        return new ConnectionsAnswer(connections, new ConnectionTotal(now, totalIn, totalOut));
    }

    private NodeStatus NodeStatus()
    {
        var folders = node.Runners.Select(r =>
        {
            var s = Summary(r);
            var completion = s.Peers.ToDictionary(p => p.Key.ToString(), p => p.Value.Percent);
            return new FolderStatusItem(r.FolderId, FolderStatusView.StateName(r.State), s.Local.Files, s.Local.Bytes, s.Global.Files, s.Global.Bytes,
                s.Need.Files + s.Need.Directories + s.Need.Symlinks + s.Need.Deleted, s.Need.Bytes, s.ConflictCopies, completion,
                r.PausedReason ?? r.Error, [.. r.PullErrors.Select(e => new PullErrorItem(e.Name, e.Message))],
                new PullCounters(r.PullProgress.NeedItems, r.PullProgress.DoneItems, r.PullProgress.NeedBytes, r.PullProgress.DoneBytes,
                    r.PullProgress.InFlightBytes, r.PullProgress.RequestedBytes, r.PullProgress.CopiedBytes));
        }).ToList();
        var devices = Current.Devices.Select(d =>
        {
            var s = node.Peers?.Status(d.Id);
            return new DeviceStatusItem(d.Id.ToString(), d.Name, s is not null, s?.Address ?? "", s?.InBytesTotal ?? 0, s?.OutBytesTotal ?? 0);
        }).ToList();
        return new NodeStatus(folders, devices);
    }
}
