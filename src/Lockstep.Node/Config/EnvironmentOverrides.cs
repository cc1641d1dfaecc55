using Lockstep.Protocol.Identity;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lockstep.Node.Config;

/// <summary>
/// Merges <c>LOCKSTEP_</c> environment variables into the YAML tree before it is read, so an overridden
/// value goes through exactly the same type checks and validation as one written in the file.
/// </summary>
/// <remarks>
/// <para>A variable is <c>LOCKSTEP_</c> plus the key path joined by <c>__</c>, case-insensitive:
/// <c>LOCKSTEP_NAME</c>, <c>LOCKSTEP_LISTEN</c>, <c>LOCKSTEP_API__ADDRESS</c>, <c>LOCKSTEP_API__KEY</c>.</para>
/// <para>An entry of <c>devices</c> or <c>folders</c> is selected by its index from 0 in file order
/// (<c>LOCKSTEP_FOLDERS__0__RESCANINTERVALS=60</c>) or by its id, matched case-insensitively
/// (<c>LOCKSTEP_FOLDERS__photos__PATH=/mnt/photos</c>; devices by device ID, dashes optional). A selector that is
/// the index of one entry and the id of another is an error. Overrides change listed entries; they never add one.</para>
/// <para>List keys (<c>addresses</c>, a folder's <c>devices</c>) take comma-separated values.</para>
/// <para>A name with <c>__</c> that does not resolve to a known key is an error, like an unknown key in the file.
/// A name without <c>__</c> is an override only when it is a top-level key; other single-word names belong to
/// the CLI and tooling (<c>LOCKSTEP_HOME</c>, <c>LOCKSTEP_API_ADDRESS</c>, <c>LOCKSTEP_API_KEY</c>,
/// <c>LOCKSTEP_ARTIFACTS</c>, ...) and are ignored, except near-misses of a top-level key such as
/// <c>LOCKSTEP_LISTN</c>, which are reported.</para>
/// </remarks>
internal static class EnvironmentOverrides
{
    public const string Prefix = "LOCKSTEP_";

    private sealed record Target(YamlMappingNode Mapping, string Key, ConfigKeyKind Kind, string Path);

    /// <summary>Applies the overrides to <paramref name="root"/>; returns each node it put there with the variable that set it.</summary>
    public static IReadOnlyDictionary<YamlNode, string> Apply(YamlMappingNode root, IReadOnlyDictionary<string, string?> environment)
    {
        // By reference: YamlNode equality is structural, and two variables may well set equal values.
        var applied = new Dictionary<YamlNode, string>(ReferenceEqualityComparer.Instance);
        var setBy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (variable, value) in environment.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (value is null || !variable.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
                continue;
            if (Resolve(root, variable, value) is not { } target)
                continue;
            if (setBy.TryGetValue(target.Path, out var first))
                throw ConfigErrors.EnvTwice(target.Path, value, first, variable).At($"environment variable {variable}");
            setBy[target.Path] = variable;
            var node = Build(target.Kind, value);
            target.Mapping.Children[new YamlScalarNode(target.Key)] = node;
            applied[node] = variable;
            if (node is YamlSequenceNode list)
                foreach (var item in list.Children)
                    applied[item] = variable;
        }
        return applied;
    }

    private static Target? Resolve(YamlMappingNode root, string variable, string value)
    {
        var name = variable[Prefix.Length..];
        if (!name.Contains("__", StringComparison.Ordinal))
            return ResolveTopLevel(root, variable, value, name);
        var parts = name.Split("__");
        if (parts.Any(p => p.Length == 0))
            throw Fail(variable, ConfigErrors.EnvMalformed(variable, value));
        var top = Known(ConfigSchema.Root, "", parts[0], variable, value);
        switch (top.Kind)
        {
            case ConfigKeyKind.Section:
            {
                if (SectionOf(root, top.Name) is not { } section)
                    return null; // not a mapping in the file: the reader reports that
                var key = Known(ConfigSchema.Api, top.Name, parts[1], variable, value);
                var path = $"{top.Name}.{key.Name}";
                return parts.Length == 2 ? new Target(section, key.Name, key.Kind, path) : throw Fail(variable, ConfigErrors.EnvTooDeep(variable, value, path));
            }
            case ConfigKeyKind.Items:
            {
                if (parts.Length == 2)
                    throw Fail(variable, ConfigErrors.EnvSection(variable, value, $"{top.Name}[{parts[1]}]",
                        $"{Prefix}{top.Name.ToUpperInvariant()}__{parts[1]}__{(top.Name == "folders" ? "PATH" : "ADDRESSES")}"));
                if (SelectItem(root, top.Name, parts[1], variable, value) is not { } selected)
                    return null;
                var (item, index) = selected;
                var itemPath = $"{top.Name}[{index}]";
                var key = Known(ConfigSchema.At(itemPath), itemPath, parts[2], variable, value);
                var path = $"{itemPath}.{key.Name}";
                return parts.Length == 3 ? new Target(item, key.Name, key.Kind, path) : throw Fail(variable, ConfigErrors.EnvTooDeep(variable, value, path));
            }
            default:
                throw Fail(variable, ConfigErrors.EnvTooDeep(variable, value, top.Name));
        }
    }

    private static Target? ResolveTopLevel(YamlMappingNode root, string variable, string value, string name)
    {
        if (ConfigSchema.Find(ConfigSchema.Root, name) is { } key)
        {
            return key.Kind switch
            {
                ConfigKeyKind.Section => throw Fail(variable, ConfigErrors.EnvSection(variable, value, key.Name, $"{Prefix}API__ADDRESS")),
                ConfigKeyKind.Items => throw Fail(variable, ConfigErrors.EnvSection(variable, value, key.Name,
                    $"{Prefix}{key.Name.ToUpperInvariant()}__0__{(key.Name == "folders" ? "PATH" : "ADDRESSES")}")),
                _ => new Target(root, key.Name, key.Kind, key.Name),
            };
        }
        // Not ours unless it is one typo away from a top-level key (LOCKSTEP_HOME is two from "name").
        var nearMiss = ConfigSchema.Root.Any(k => ConfigSchema.Distance(k.Name.ToLowerInvariant(), name.ToLowerInvariant()) <= 1);
        return nearMiss ? throw Fail(variable, ConfigErrors.UnknownKey("", name, ConfigSchema.Root)) : null;
    }

    private static (string Name, ConfigKeyKind Kind) Known(
        IReadOnlyList<(string Name, ConfigKeyKind Kind)> keys, string path, string given, string variable, string value) =>
        ConfigSchema.Find(keys, given) ?? throw Fail(variable, ConfigErrors.UnknownKey(path, given, keys));

    private static YamlMappingNode? SectionOf(YamlMappingNode root, string key)
    {
        var keyNode = new YamlScalarNode(key);
        if (!root.Children.TryGetValue(keyNode, out var node) || node is YamlScalarNode { Style: ScalarStyle.Plain, Value: "" or "~" or "null" })
            root.Children[keyNode] = node = new YamlMappingNode();
        return node as YamlMappingNode;
    }

    private static (YamlMappingNode Item, int Index)? SelectItem(YamlMappingNode root, string list, string selector, string variable, string value)
    {
        root.Children.TryGetValue(new YamlScalarNode(list), out var listNode);
        if (listNode is not null and not YamlSequenceNode and not YamlScalarNode)
            return null; // a mapping where a list belongs: the reader reports that
        var items = (listNode as YamlSequenceNode)?.Children ?? [];
        var ids = items.Select(item => item is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("id"), out var id)
            ? (id as YamlScalarNode)?.Value ?? "" : "").ToList();

        var byId = FindById(ids, selector, devices: list == "devices");
        var byIndex = selector.All(char.IsAsciiDigit) && int.TryParse(selector, out var n) && n < items.Count ? n : -1;
        if (byId >= 0 && byIndex >= 0 && byId != byIndex)
            throw Fail(variable, ConfigErrors.EnvAmbiguous(variable, value, list, selector, byIndex, byId));
        var chosen = byId >= 0 ? byId : byIndex;
        if (chosen < 0)
            throw Fail(variable, ConfigErrors.EnvNoItem(variable, value, list, selector, ids.Where(id => id.Length > 0)));
        return items[chosen] is YamlMappingNode item ? (item, chosen) : null;
    }

    // Folder ids compare case-insensitively (an exact match wins); device IDs compare as IDs, whatever the spelling.
    private static int FindById(List<string> ids, string selector, bool devices)
    {
        if (devices)
        {
            if (!DeviceId.TryParse(selector, out var wanted, out _))
                return -1;
            return ids.FindIndex(id => DeviceId.TryParse(id, out var parsed, out _) && parsed == wanted);
        }
        var exact = ids.IndexOf(selector);
        return exact >= 0 ? exact : ids.FindIndex(id => string.Equals(id, selector, StringComparison.OrdinalIgnoreCase));
    }

    private static YamlNode Build(ConfigKeyKind kind, string value) => kind switch
    {
        // Quoted, so an override such as LOCKSTEP_NAME=null stays the text "null".
        ConfigKeyKind.Text => new YamlScalarNode(value) { Style = ScalarStyle.DoubleQuoted },
        ConfigKeyKind.List => new YamlSequenceNode(value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(item => (YamlNode)new YamlScalarNode(item) { Style = ScalarStyle.DoubleQuoted })),
        _ => new YamlScalarNode(value.Trim()) { Style = ScalarStyle.Plain },
    };

    private static ConfigException Fail(string variable, ConfigException error) => error.At($"environment variable {variable}");
}
