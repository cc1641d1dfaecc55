using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Lockstep.Contracts.Rest;
using Lockstep.Node.Config;
using Lockstep.Protocol.Identity;
using Lockstep.Sync.Versioning;

namespace Lockstep.Node.Api;

/// <summary>
/// Lockstep's configuration in Syncthing's REST JSON and back. This node appears among the devices and in every
/// folder's device list, as Syncthing shows itself; entries for this node sent back are taken as its name only.
/// </summary>
internal static class ConfigJson
{
    public static ConfigRoot ToJson(NodeConfig config, DeviceId me) => new()
    {
        Folders = [.. config.Folders.Select(f => ToJson(f, me))],
        Devices = [Self(config, me), .. config.Devices.Select(ToJson)],
        // Syncthing's gui section describes the API: HTTPS or not, and the mode of its UNIX socket when there is one.
        Gui = new ConfigGui
        {
            Address = config.Api.Address, ApiKey = config.Api.Key, UseTls = config.Api.Tls,
            UnixSocketPermissions = config.Api.UnixSocket.Length > 0 ? "0600" : "",
        },
        Options = new ConfigOptions { ListenAddresses = [config.Listen] },
        Defaults = new ConfigDefaults { Folder = ToJson(new FolderConfig { Id = "", Path = "" }, me), Device = new ConfigDevice() },
    };

    public static ConfigDevice Self(NodeConfig config, DeviceId me) =>
        new() { DeviceId = me.ToString(), Name = config.Name, Addresses = ["dynamic"] };

    public static ConfigFolder ToJson(FolderConfig f, DeviceId me) => new()
    {
        Id = f.Id, Label = f.Label, Path = f.Path, Type = f.Type.ToConfigName(),
        Devices = [.. new[] { me }.Concat(f.Devices).Select(d => new ConfigFolderDevice { DeviceId = d.ToString() })],
        RescanIntervalS = f.RescanIntervalS, FsWatcherEnabled = f.FsWatcherEnabled, FsWatcherDelayS = f.FsWatcherDelayS,
        IgnorePerms = f.IgnorePerms, MaxConflicts = f.MaxConflicts, Order = f.Order.ToConfigName(), PullerMaxPendingKiB = f.PullerMaxPendingKiB,
        Versioning = ToJson(f.Versioning), MaxDeletePercent = f.MaxDeletePercent, ConflictStrategy = f.ConflictStrategy.ToString(),
        ScanProgressIntervalS = f.ScanProgressIntervalS,
    };

    public static ConfigDevice ToJson(DeviceConfig d) => new()
    {
        DeviceId = d.Id.ToString(), Name = d.Name, Addresses = d.Addresses.IsDefaultOrEmpty ? ["dynamic"] : [.. d.Addresses],
        Compression = d.Compression.ToConfigName(), Introducer = d.Introducer,
    };

    private static ConfigVersioning ToJson(VersioningConfig v)
    {
        var json = new ConfigVersioning { CleanupIntervalS = v.CleanupIntervalS };
        switch (v.Type)
        {
            case VersioningKind.Trashcan:
                json.Type = "trashcan";
                json.Params["cleanoutDays"] = v.CleanoutDays.ToString(CultureInfo.InvariantCulture);
                break;
            case VersioningKind.Simple:
                json.Type = "simple";
                json.Params["keep"] = v.Keep.ToString(CultureInfo.InvariantCulture);
                break;
            case VersioningKind.Staggered:
                json.Type = "staggered";
                json.Params["maxAge"] = v.MaxAgeS.ToString(CultureInfo.InvariantCulture);
                break;
        }
        return json;
    }

    /// <exception cref="ConfigException">A value Lockstep cannot take, named with the field and what it accepts.</exception>
    public static FolderConfig FromJson(ConfigFolder j, DeviceId me)
    {
        if (!ConfigEnums.TryParseFolderType(j.Type, out var type))
            throw Bad($"folder '{j.Id}': type '{j.Type}' is not one Lockstep runs; use {string.Join(", ", ConfigEnums.FolderTypeNames)}");
        if (!ConfigEnums.TryParsePullOrder(j.Order, out var order))
            throw Bad($"folder '{j.Id}': order '{j.Order}' is not one of {string.Join(", ", ConfigEnums.PullOrderNames)}");
        var strategy = Lockstep.Sync.Global.ConflictStrategy.Parse(j.ConflictStrategy, out var strategyError)
                       ?? throw Bad($"folder '{j.Id}': conflictStrategy: {strategyError}");
        var devices = ImmutableArray.CreateBuilder<DeviceId>();
        foreach (var d in j.Devices)
        {
            if (!DeviceId.TryParse(d.DeviceId, out var id, out var why))
                throw Bad($"folder '{j.Id}': device '{d.DeviceId}' is not a device ID: {why}");
            if (id != me && !devices.Contains(id))
                devices.Add(id);
        }
        return new FolderConfig
        {
            Id = j.Id, Label = j.Label, Path = j.Path, Type = type, Devices = devices.ToImmutable(),
            RescanIntervalS = j.RescanIntervalS, FsWatcherEnabled = j.FsWatcherEnabled, FsWatcherDelayS = j.FsWatcherDelayS,
            IgnorePerms = j.IgnorePerms, MaxConflicts = j.MaxConflicts, Order = order,
            PullerMaxPendingKiB = j.PullerMaxPendingKiB > 0 ? j.PullerMaxPendingKiB : FolderConfig.DefaultPullerMaxPendingKiB,
            Versioning = FromJson(j.Id, j.Versioning), MaxDeletePercent = j.MaxDeletePercent, ConflictStrategy = strategy,
            ScanProgressIntervalS = j.ScanProgressIntervalS,
        };
    }

    /// <exception cref="ConfigException">A value Lockstep cannot take.</exception>
    public static DeviceConfig FromJson(ConfigDevice j)
    {
        if (!DeviceId.TryParse(j.DeviceId, out var id, out var why))
            throw Bad($"device '{j.DeviceId}' is not a device ID: {why}");
        if (!ConfigEnums.TryParseCompression(j.Compression, out var compression))
            throw Bad($"device {j.DeviceId}: compression '{j.Compression}' is not one of {string.Join(", ", ConfigEnums.CompressionNames)}");
        return new DeviceConfig
        {
            Id = id, Name = j.Name, Compression = compression, Introducer = j.Introducer,
            Addresses = [.. j.Addresses.Where(a => !string.IsNullOrWhiteSpace(a))],
        };
    }

    /// <summary>A whole configuration sent to PUT /rest/config, over the running one (its API section stays).</summary>
    public static NodeConfig FromJson(ConfigRoot j, NodeConfig current, DeviceId me)
    {
        var self = j.Devices.FirstOrDefault(d => DeviceId.TryParse(d.DeviceId, out var id, out _) && id == me);
        return current with
        {
            Name = self?.Name ?? current.Name,
            Listen = j.Options.ListenAddresses.FirstOrDefault(a => a != "default") ?? current.Listen,
            Devices = [.. j.Devices.Where(d => d != self).Select(FromJson)],
            Folders = [.. j.Folders.Select(f => FromJson(f, me))],
        };
    }

    private static VersioningConfig FromJson(string folder, ConfigVersioning v)
    {
        int Int(string key, int fallback) => v.Params.TryGetValue(key, out var text) ? int.TryParse(text, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n : throw Bad($"folder '{folder}': versioning.params.{key} '{text}' is not a whole number") : fallback;
        return v.Type switch
        {
            "" or "none" => VersioningConfig.None with { CleanupIntervalS = v.CleanupIntervalS },
            "trashcan" => new VersioningConfig { Type = VersioningKind.Trashcan, CleanoutDays = Int("cleanoutDays", 0), CleanupIntervalS = v.CleanupIntervalS },
            "simple" => new VersioningConfig { Type = VersioningKind.Simple, Keep = Int("keep", 5), CleanupIntervalS = v.CleanupIntervalS },
            "staggered" => new VersioningConfig { Type = VersioningKind.Staggered, MaxAgeS = Int("maxAge", 365 * 24 * 3600), CleanupIntervalS = v.CleanupIntervalS },
            _ => throw Bad($"folder '{folder}': versioning type '{v.Type}' is not one Lockstep has; use trashcan, simple, staggered or \"\""),
        };
    }

    /// <summary>Go's json.Unmarshal onto an existing value: objects merge field by field, everything else is replaced.</summary>
    public static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is JsonObject inner && target[key] is JsonObject existing)
                Merge(existing, inner);
            else
                target[key] = value?.DeepClone();
        }
    }

    /// <summary>"problem; fix" when the message names its fix after a semicolon, else a generic fix.</summary>
    private static ConfigException Bad(string message)
    {
        int split = message.IndexOf("; ", StringComparison.Ordinal);
        return split < 0 ? new ConfigException("", null, message, "send a value Lockstep accepts")
            : new ConfigException("", null, message[..split], message[(split + 2)..]);
    }
}
