using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Lockstep.Contracts;
using Lockstep.Contracts.Rest;
using Lockstep.Node.Config;
using Lockstep.Node.Hosting;
using Lockstep.Protocol.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lockstep.Node.Api;

/// <summary>
/// Syncthing's configuration endpoints: <c>/rest/config</c> (GET, PUT), <c>/rest/config/folders</c> and
/// <c>/rest/config/devices</c> (GET, PUT the list, POST one) and each entry by ID (GET, PUT, PATCH, DELETE). Every change
/// goes through <see cref="NodeHost.ChangeConfigAsync"/>: validated, saved atomically and applied without a restart.
/// A change that is not valid answers 400 naming the field and the fix, and changes nothing; one that is answers 200
/// with an empty body, as Syncthing does.
/// </summary>
internal static class ConfigRoutes
{
    public static void Map(IEndpointRouteBuilder app, NodeHost node)
    {
        var ctx = ContractsJsonContext.Default;
        app.MapGet("/rest/config", () => Results.Json(ConfigJson.ToJson(Current(node), node.DeviceId), ctx.ConfigRoot));
        app.MapPut("/rest/config", (HttpRequest request) => ChangeAsync(node, request, ctx.ConfigRoot,
            _ => ConfigJson.ToJson(Current(node), node.DeviceId), (c, j) => ConfigJson.FromJson(j, c, node.DeviceId)));

        app.MapGet("/rest/config/folders", () => Results.Json(ConfigJson.ToJson(Current(node), node.DeviceId).Folders, ctx.ListConfigFolder));
        app.MapPut("/rest/config/folders", (HttpRequest request) => ChangeListAsync(node, request, ctx.ListConfigFolder,
            (c, list) => c with { Folders = [.. list.Select(f => ConfigJson.FromJson(f, node.DeviceId))] }));
        app.MapPost("/rest/config/folders", (HttpRequest request) => ChangeAsync(node, request, ctx.ConfigFolder,
            _ => ConfigJson.ToJson(new FolderConfig { Id = "", Path = "" }, node.DeviceId), (c, j) => c.WithFolder(ConfigJson.FromJson(j, node.DeviceId))));
        app.MapGet("/rest/config/folders/{id}", (string id) => Current(node).Folders.FirstOrDefault(f => f.Id == id) is { } folder
            ? Results.Json(ConfigJson.ToJson(folder, node.DeviceId), ctx.ConfigFolder) : NoFolder(id));
        app.MapPut("/rest/config/folders/{id}", (string id, HttpRequest request) => ChangeAsync(node, request, ctx.ConfigFolder,
            _ => ConfigJson.ToJson(new FolderConfig { Id = id, Path = "" }, node.DeviceId),
            (c, j) => c.WithFolder(ConfigJson.FromJson(WithId(j, id), node.DeviceId))));
        app.MapMethods("/rest/config/folders/{id}", ["PATCH"], (string id, HttpRequest request) =>
            Current(node).Folders.FirstOrDefault(f => f.Id == id) is { } folder
                ? ChangeAsync(node, request, ctx.ConfigFolder, _ => ConfigJson.ToJson(folder, node.DeviceId),
                    (c, j) => c.WithFolder(ConfigJson.FromJson(WithId(j, id), node.DeviceId)))
                : Task.FromResult(NoFolder(id)));
        // Deleting what is not there is done already: 200, as Syncthing answers.
        app.MapDelete("/rest/config/folders/{id}", (string id) => Current(node).Folders.Any(f => f.Id == id)
            ? ApplyAsync(node, c => c.WithoutFolder(id)) : Task.FromResult(Results.Ok()));

        app.MapPut("/rest/lockstep/config/file", async (HttpRequest request) =>
        {
            ConfigFileReplace? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync(request.Body, ctx.ConfigFileReplace);
            }
            catch (JsonException e)
            {
                return Error(StatusCodes.Status400BadRequest, $"the body is not {{\"fingerprint\": ..., \"yaml\": ...}}: {e.Message}");
            }
            if (body is null || string.IsNullOrEmpty(body.Fingerprint) || body.Yaml is null)
                return Error(StatusCodes.Status400BadRequest, "send {\"fingerprint\": SHA-256 hex of the file as read, \"yaml\": the new text}");
            try
            {
                await node.ReplaceConfigFileAsync(body.Yaml, body.Fingerprint);
                return Results.Json(ConfigJson.ToJson(Current(node), node.DeviceId), ctx.ConfigRoot);
            }
            catch (ConfigException e)
            {
                return Error(StatusCodes.Status400BadRequest, e.Message);
            }
            catch (ConfigConflictException e)
            {
                return Error(StatusCodes.Status409Conflict, e.Message);
            }
        });

        app.MapGet("/rest/config/devices", () => Results.Json(ConfigJson.ToJson(Current(node), node.DeviceId).Devices, ctx.ListConfigDevice));
        app.MapPut("/rest/config/devices", (HttpRequest request) => ChangeListAsync(node, request, ctx.ListConfigDevice,
            (c, list) => WithDevices(c, list, node.DeviceId)));
        app.MapPost("/rest/config/devices", (HttpRequest request) => ChangeAsync(node, request, ctx.ConfigDevice,
            _ => new ConfigDevice(), (c, j) => AddDevice(c, j, node.DeviceId)));
        app.MapGet("/rest/config/devices/{id}", (string id) => NotADeviceId(id) ?? (Device(node, id) is { } device
            ? Results.Json(device, ctx.ConfigDevice) : NoDevice(id)));
        app.MapPut("/rest/config/devices/{id}", (string id, HttpRequest request) => ChangeAsync(node, request, ctx.ConfigDevice,
            _ => new ConfigDevice(), (c, j) => AddDevice(c, WithId(j, id), node.DeviceId)));
        app.MapMethods("/rest/config/devices/{id}", ["PATCH"], (string id, HttpRequest request) => NotADeviceId(id) is { } invalid
            ? Task.FromResult(invalid)
            : Device(node, id) is { } device
                ? ChangeAsync(node, request, ctx.ConfigDevice, _ => device, (c, j) => AddDevice(c, WithId(j, id), node.DeviceId))
                : Task.FromResult(NoDevice(id)));
        app.MapDelete("/rest/config/devices/{id}", (string id) =>
        {
            if (NotADeviceId(id) is { } invalid)
                return Task.FromResult(invalid);
            var device = DeviceId.Parse(id);
            if (device == node.DeviceId)
                return Task.FromResult(Error(StatusCodes.Status400BadRequest, "this node cannot remove itself from its own configuration"));
            return Current(node).Devices.Any(d => d.Id == device)
                ? ApplyAsync(node, c => c.WithoutDevice(device))
                : Task.FromResult(Results.Ok()); // not configured: nothing to remove (Syncthing answers 200 too)
        });
    }

    private static NodeConfig Current(NodeHost node) => node.Config ?? throw new InvalidOperationException("the node is not running");

    private static ConfigDevice? Device(NodeHost node, string id)
    {
        if (!DeviceId.TryParse(id, out var device, out _))
            return null;
        var config = Current(node);
        return device == node.DeviceId ? ConfigJson.Self(config, device)
            : config.Devices.FirstOrDefault(d => d.Id == device) is { } found ? ConfigJson.ToJson(found) : null;
    }

    /// <summary>A device sent to this node: itself changes only its name; another is added or replaced.</summary>
    private static NodeConfig AddDevice(NodeConfig config, ConfigDevice json, DeviceId me)
    {
        var device = ConfigJson.FromJson(json);
        return device.Id == me ? config with { Name = device.Name } : config.WithDevice(device);
    }

    private static NodeConfig WithDevices(NodeConfig config, List<ConfigDevice> list, DeviceId me)
    {
        var self = list.FirstOrDefault(d => DeviceId.TryParse(d.DeviceId, out var id, out _) && id == me);
        var devices = list.Where(d => d != self).Select(ConfigJson.FromJson).ToList();
        var kept = devices.Select(d => d.Id).ToHashSet();
        // Folders stop being shared with the devices that are gone, as when one is deleted.
        var folders = config.Folders.Select(f => f with { Devices = [.. f.Devices.Where(kept.Contains)] });
        return config with { Name = self?.Name ?? config.Name, Devices = [.. devices], Folders = [.. folders] };
    }

    private static ConfigFolder WithId(ConfigFolder json, string id)
    {
        json.Id = id;
        return json;
    }

    private static ConfigDevice WithId(ConfigDevice json, string id)
    {
        json.DeviceId = id;
        return json;
    }

    /// <summary>
    /// Reads the body over <paramref name="start"/> (Go's json.Unmarshal onto an existing value: fields sent replace,
    /// objects merge, fields left out keep their value), maps it and applies the change.
    /// </summary>
    private static async Task<IResult> ChangeAsync<T>(NodeHost node, HttpRequest request, JsonTypeInfo<T> type, Func<NodeConfig, T> start,
        Func<NodeConfig, T, NodeConfig> change)
    {
        JsonObject patch;
        try
        {
            patch = await JsonNode.ParseAsync(request.Body) as JsonObject
                    ?? throw new JsonException("the body must be a JSON object");
        }
        catch (JsonException e)
        {
            return Error(StatusCodes.Status400BadRequest, $"the body is not a JSON object: {e.Message}");
        }
        return await ApplyAsync(node, c =>
        {
            var target = JsonSerializer.SerializeToNode(start(c), type)!.AsObject();
            ConfigJson.Merge(target, patch);
            T value;
            try
            {
                value = target.Deserialize(type) ?? throw new JsonException("null");
            }
            catch (JsonException e)
            {
                throw new ConfigException("", null, $"the body does not fit the configuration's shape: {e.Message}", "send the fields with the types GET returns");
            }
            return change(c, value);
        });
    }

    private static async Task<IResult> ChangeListAsync<T>(NodeHost node, HttpRequest request, JsonTypeInfo<List<T>> type, Func<NodeConfig, List<T>, NodeConfig> change)
    {
        List<T> list;
        try
        {
            list = await JsonSerializer.DeserializeAsync(request.Body, type) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            return Error(StatusCodes.Status400BadRequest, $"the body is not a JSON list of entries: {e.Message}");
        }
        return await ApplyAsync(node, c => change(c, list));
    }

    private static async Task<IResult> ApplyAsync(NodeHost node, Func<NodeConfig, NodeConfig> change)
    {
        try
        {
            await node.ChangeConfigAsync(change);
            return Results.Ok(); // as Syncthing answers a change: 200 with an empty body (GET shows the result)
        }
        catch (ConfigException e)
        {
            return Error(StatusCodes.Status400BadRequest, e.Message);
        }
    }

    private static IResult NoFolder(string id) => Error(StatusCodes.Status404NotFound, $"no folder '{id}' in the configuration");

    /// <summary>400 for a path segment that is not a device ID at all (Syncthing's answer too), else null.</summary>
    private static IResult? NotADeviceId(string id) => DeviceId.TryParse(id, out _, out var why)
        ? null : Error(StatusCodes.Status400BadRequest, $"'{id}' is not a device ID: {why}");

    private static IResult NoDevice(string id) => Error(StatusCodes.Status404NotFound, $"no device '{id}' in the configuration");

    private static IResult Error(int status, string message) =>
        Results.Json(new ErrorAnswer(message), ContractsJsonContext.Default.ErrorAnswer, statusCode: status);
}
