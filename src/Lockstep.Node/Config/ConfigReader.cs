using Lockstep.Sync.Pulling;
using System.Collections.Immutable;
using System.Globalization;
using Lockstep.Protocol.Identity;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lockstep.Node.Config;

/// <summary>
/// Turns the YAML tree into a <see cref="NodeConfig"/>: rejects unknown keys and wrong types, parses enums
/// and device IDs, and applies defaults for missing keys. It reads the tree rather than deserialising into
/// classes so every error can name the exact key path and line, and so overrides can be merged in first.
/// </summary>
internal sealed class ConfigReader
{
    private readonly IReadOnlyDictionary<YamlNode, string> _environmentNodes;
    private readonly Dictionary<string, string> _locations = new(StringComparer.Ordinal);

    /// <param name="environmentNodes">Nodes that environment overrides put into the tree, with the variable that set each.</param>
    public ConfigReader(IReadOnlyDictionary<YamlNode, string> environmentNodes) => _environmentNodes = environmentNodes;

    /// <summary>Where each key path that was read came from, for attributing later validation errors.</summary>
    public IReadOnlyDictionary<string, string> Locations => _locations;

    public NodeConfig Read(YamlMappingNode root)
    {
        var top = Open(root, "");
        return new NodeConfig
        {
            Name = Text(top, "name") ?? "",
            Listen = Text(top, "listen") ?? NodeConfig.DefaultListen,
            LogLevel = Text(top, "logLevel")?.ToLowerInvariant() ?? "information",
            Api = ReadApi(top),
            Devices = Items(top, "devices", ReadDevice),
            Folders = Items(top, "folders", ReadFolder),
        };
    }

    /// <summary>
    /// Where <paramref name="node"/> came from: the environment variable that set it, or its line in the file;
    /// null for a node with neither, such as a section an override had to create.
    /// </summary>
    public string? Locate(YamlNode node) =>
        _environmentNodes.TryGetValue(node, out var variable) ? $"environment variable {variable}"
        : node.Start.Line > 0 ? $"line {node.Start.Line}, column {node.Start.Column}"
        : null;

    private ApiConfig ReadApi(Section top)
    {
        if (Child(top, "api") is not { } node)
            return new ApiConfig();
        var api = Open(Mapping(node, "api", "a mapping", "api: with address: and key: indented under it"), "api");
        return new ApiConfig
        {
            Address = Text(api, "address") ?? ApiConfig.DefaultAddress,
            Key = Text(api, "key") ?? "",
            MetricsNoAuth = Bool(api, "metricsNoAuth") ?? false,
            UnixSocket = Text(api, "unixSocket") ?? "",
            Tls = Bool(api, "tls") ?? false,
            CorsOrigins = TextList(api, "corsOrigins") ?? [],
        };
    }

    private DeviceConfig ReadDevice(Section device) => new()
    {
        Id = Id(device, "id") ?? throw Fail(device.Node, ConfigErrors.Missing(
            $"{device.Path}.id", "id: MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD")),
        Name = Text(device, "name") ?? "",
        Addresses = TextList(device, "addresses") ?? [],
        Introducer = Bool(device, "introducer") ?? false,
        Compression = Enum<Compression>(device, "compression", ConfigEnums.CompressionNames, ConfigEnums.TryParseCompression) ?? Compression.Metadata,
    };

    private FolderConfig ReadFolder(Section folder) => new()
    {
        Id = Text(folder, "id") ?? "",
        Label = Text(folder, "label") ?? "",
        Path = Text(folder, "path") ?? "",
        Type = Enum<FolderType>(folder, "type", ConfigEnums.FolderTypeNames, ConfigEnums.TryParseFolderType) ?? FolderType.SendReceive,
        Devices = IdList(folder, "devices") ?? [],
        RescanIntervalS = Number(folder, "rescanIntervalS") ?? FolderConfig.DefaultRescanIntervalS,
        FsWatcherEnabled = Bool(folder, "fsWatcherEnabled") ?? true,
        FsWatcherDelayS = Number(folder, "fsWatcherDelayS") ?? FolderConfig.DefaultFsWatcherDelayS,
        ScanProgressIntervalS = Number(folder, "scanProgressIntervalS") ?? 0,
        IgnorePerms = Bool(folder, "ignorePerms") ?? false,
        MaxConflicts = Integer(folder, "maxConflicts") ?? FolderConfig.DefaultMaxConflicts,
        MaxDeletePercent = Integer(folder, "maxDeletePercent") ?? FolderConfig.DefaultMaxDeletePercent,
        Order = Enum<PullOrder>(folder, "order", ConfigEnums.PullOrderNames, ConfigEnums.TryParsePullOrder) ?? PullOrder.Random,
        PullerMaxPendingKiB = Integer(folder, "pullerMaxPendingKiB") ?? FolderConfig.DefaultPullerMaxPendingKiB,
        Versioning = ReadVersioning(folder),
        ConflictStrategy = ReadConflictStrategy(folder),
    };

    private Lockstep.Sync.Global.ConflictStrategy ReadConflictStrategy(Section folder)
    {
        if (Scalar(folder, "conflictStrategy", "newest, largest, prefer:DEVICEID or manual", "conflictStrategy: newest") is not { } text)
            return Lockstep.Sync.Global.ConflictStrategy.Default;
        return Lockstep.Sync.Global.ConflictStrategy.Parse(text, out var error)
               ?? throw Fail(folder.Children["conflictStrategy"], ConfigErrors.WrongShape(Join(folder.Path, "conflictStrategy"), text, error, "conflictStrategy: largest"));
    }

    private VersioningConfig ReadVersioning(Section folder)
    {
        if (Child(folder, "versioning") is not { } node)
            return VersioningConfig.None;
        var path = Join(folder.Path, "versioning");
        var section = Open(Mapping(node, path, "a mapping", "versioning: with type: and params: indented under it"), path);
        var config = new VersioningConfig
        {
            Type = Enum<Lockstep.Sync.Versioning.VersioningKind>(section, "type", VersioningConfig.TypeNames, TryParseVersioning) ?? Lockstep.Sync.Versioning.VersioningKind.None,
            CleanupIntervalS = Number(section, "cleanupIntervalS") ?? 3600,
        };
        if (Child(section, "params") is not { } paramsNode)
            return config;
        var paramsPath = Join(path, "params");
        var p = Open(Mapping(paramsNode, paramsPath, "a mapping", "params: {keep: 5}"), paramsPath);
        return config with
        {
            Keep = Integer(p, "keep") ?? config.Keep,
            CleanoutDays = Integer(p, "cleanoutDays") ?? config.CleanoutDays,
            MaxAgeS = (long?)Number(p, "maxAge") ?? config.MaxAgeS,
        };
    }

    private static bool TryParseVersioning(string? text, out Lockstep.Sync.Versioning.VersioningKind kind)
    {
        var names = VersioningConfig.TypeNames;
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                kind = (Lockstep.Sync.Versioning.VersioningKind)i;
                return true;
            }
        }
        kind = default;
        return text?.Trim().Length == 0;
    }

    // ---- structure ----

    /// <summary>A mapping being read: its node, its key path and its children by key.</summary>
    private sealed record Section(YamlMappingNode Node, string Path, Dictionary<string, YamlNode> Children);

    private Section Open(YamlMappingNode node, string path)
    {
        var known = ConfigSchema.At(path);
        var children = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in node.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
                throw Fail(keyNode, ConfigErrors.NonScalarKey(path));
            // Keys are case-sensitive as in YAML and Syncthing; a wrong case gets a "did you mean".
            if (!known.Any(k => k.Name == key))
                throw Fail(keyNode, ConfigErrors.UnknownKey(path, key, known));
            children[key] = value;
        }
        return new Section(node, path, children);
    }

    /// <summary>The value under <paramref name="key"/>, or null when it is absent or YAML null.</summary>
    private YamlNode? Child(Section section, string key)
    {
        if (!section.Children.TryGetValue(key, out var node) || IsNull(node))
            return null;
        Remember(Join(section.Path, key), node);
        return node;
    }

    private YamlMappingNode Mapping(YamlNode node, string path, string expected, string example) =>
        node as YamlMappingNode ?? throw Fail(node, ConfigErrors.WrongShape(path, ScalarText(node), expected, example));

    private ImmutableArray<T> Items<T>(Section top, string key, Func<Section, T> read)
    {
        if (Child(top, key) is not { } node)
            return [];
        var example = key == "devices" ? "a list of devices, each starting with '- id:'" : "a list of folders, each starting with '- id:'";
        if (node is not YamlSequenceNode list)
            throw Fail(node, ConfigErrors.WrongShape(key, ScalarText(node), "a list", example));
        var items = ImmutableArray.CreateBuilder<T>(list.Children.Count);
        for (int i = 0; i < list.Children.Count; i++)
        {
            var path = $"{key}[{i}]";
            Remember(path, list.Children[i]);
            var item = Mapping(list.Children[i], path, "a mapping of keys", "- id: ... with the entry's other keys indented under it");
            items.Add(read(Open(item, path)));
        }
        return items.MoveToImmutable();
    }

    // ---- scalars ----

    private string? Text(Section section, string key) => Scalar(section, key, "a text value", $"{key}: some text");

    private bool? Bool(Section section, string key)
    {
        if (Scalar(section, key, "true or false", $"{key}: true") is not { } text)
            return null;
        if (bool.TryParse(text, out var value))
            return value;
        throw Fail(section.Children[key], ConfigErrors.WrongShape(Join(section.Path, key), text, "true or false", $"{key}: true or {key}: false"));
    }

    private int? Integer(Section section, string key)
    {
        if (Scalar(section, key, "a whole number", $"{key}: 10") is not { } text)
            return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return value;
        throw Fail(section.Children[key], ConfigErrors.WrongShape(Join(section.Path, key), text, "a whole number", $"{key}: 10"));
    }

    private double? Number(Section section, string key)
    {
        if (Scalar(section, key, "a number of seconds", $"{key}: 60") is not { } text)
            return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            return value;
        throw Fail(section.Children[key], ConfigErrors.WrongShape(Join(section.Path, key), text,
            "a number of seconds", $"{key}: 60 (fractions allowed, e.g. 0.5)"));
    }

    private delegate bool TryParse<T>(string? text, out T value);

    private T? Enum<T>(Section section, string key, IReadOnlyList<string> names, TryParse<T> parse) where T : struct
    {
        var allowed = string.Join(" | ", names);
        if (Scalar(section, key, $"one of {allowed}", $"{key}: {names[0]}") is not { } text)
            return null;
        if (parse(text, out var value))
            return value;
        throw Fail(section.Children[key], ConfigErrors.BadEnum(Join(section.Path, key), text, names));
    }

    private DeviceId? Id(Section section, string key)
    {
        if (Text(section, key) is not { } text)
            return null;
        return ParseId(section.Children[key], Join(section.Path, key), text);
    }

    private DeviceId ParseId(YamlNode node, string path, string text) =>
        DeviceId.TryParse(text, out var id, out var error) ? id : throw Fail(node, ConfigErrors.BadDeviceId(path, text, error));

    private ImmutableArray<string>? TextList(Section section, string key)
    {
        if (List(section, key) is not { } list)
            return null;
        var path = Join(section.Path, key);
        return [.. list.Children.Select((item, i) => ItemText(item, $"{path}[{i}]", key))];
    }

    private ImmutableArray<DeviceId>? IdList(Section section, string key)
    {
        if (List(section, key) is not { } list)
            return null;
        var path = Join(section.Path, key);
        return [.. list.Children.Select((item, i) => ParseId(item, $"{path}[{i}]", ItemText(item, $"{path}[{i}]", key)))];
    }

    private YamlSequenceNode? List(Section section, string key)
    {
        if (Child(section, key) is not { } node)
            return null;
        return node as YamlSequenceNode ?? throw Fail(node, ConfigErrors.WrongShape(
            Join(section.Path, key), ScalarText(node), "a list", $"{key}: [first, second] (a single entry still needs the brackets)"));
    }

    private string ItemText(YamlNode item, string path, string key)
    {
        Remember(path, item);
        if (item is YamlScalarNode { Value: { } text } && !IsNull(item))
            return text;
        throw Fail(item, ConfigErrors.WrongShape(path, null, "a single value", $"{key}: [first, second]"));
    }

    private string? Scalar(Section section, string key, string expected, string example)
    {
        if (Child(section, key) is not { } node)
            return null;
        if (node is YamlScalarNode { Value: { } text })
            return text;
        throw Fail(node, ConfigErrors.WrongShape(Join(section.Path, key), null, $"{expected}, not a {Shape(node)}", example));
    }

    // ---- helpers ----

    private void Remember(string path, YamlNode node)
    {
        if (Locate(node) is { } location)
            _locations[path] = location;
    }

    private ConfigException Fail(YamlNode node, ConfigException error) => error.At(Locate(node));

    /// <summary>YAML's null: a plain <c>~</c>, <c>null</c> or nothing at all. Quoted, they are text.</summary>
    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static string? ScalarText(YamlNode node) => node is YamlScalarNode scalar ? scalar.Value : null;

    private static string Shape(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "value",
    };

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
