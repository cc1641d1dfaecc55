using System.Globalization;

namespace Lockstep.Node.Config;

/// <summary>
/// Every config error message, built in one place so they read alike: what is wrong (naming the value),
/// then the fix. Where the value came from (file, line, environment variable) is added by the caller.
/// </summary>
internal static class ConfigErrors
{
    private const string ExampleDeviceId = "MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD";

    // ---- the file as a whole ----

    public static ConfigException FileMissing(string path) => new(
        "", path, $"the config file '{path}' does not exist",
        "create it with `lockstep init --home DIR`, or point --home / LOCKSTEP_HOME at the node's home");

    public static ConfigException Syntax(string problem)
    {
        var fix = problem.Contains("tab", StringComparison.OrdinalIgnoreCase)
            ? "indent with spaces: YAML does not allow tabs"
            : "fix the YAML near that line: indent with spaces, and quote values that contain ': ' or ' #'";
        return new("", null, $"not valid YAML: {problem}", fix);
    }

    public static ConfigException MultipleDocuments(int count) => new(
        "", null, $"the file holds {count} YAML documents",
        "keep a single document: remove the '---' separators");

    // ---- structure and types ----

    // The value reported is the unknown key itself: that, not what it was set to, is what needs fixing.
    public static ConfigException UnknownKey(string path, string given, IReadOnlyList<(string Name, ConfigKeyKind Kind)> known)
    {
        var where = path.Length == 0 ? "at the top level" : $"in {path}";
        var closest = ConfigSchema.Closest(known, given);
        var fix = closest is not null
            ? $"did you mean '{closest}'?"
            : $"the keys allowed {where} are: {string.Join(", ", known.Select(k => k.Name))}";
        return new(Join(path, given), given, $"unknown key '{given}' {where}", fix);
    }

    public static ConfigException NonScalarKey(string path) => new(
        path, null, "a key is a list or mapping", "keys are plain words, e.g. path: /srv/photos");

    public static ConfigException WrongShape(string key, string? value, string expected, string example) => new(
        key, value, value is null ? $"must be {expected}" : $"'{value}' is not {expected}", $"write it as {example}");

    public static ConfigException Missing(string key, string example) => new(
        key, null, "the key is missing", $"add it, e.g. {example}");

    public static ConfigException BadEnum(string key, string value, IReadOnlyList<string> allowed) => new(
        key, value, $"'{value}' is not one of the allowed values", $"use one of: {string.Join(", ", allowed)}");

    public static ConfigException BadDeviceId(string key, string value, string parseError) => new(
        key, value, parseError, $"copy the ID exactly as `lockstep id` prints it, e.g. {ExampleDeviceId}");

    // ---- values ----

    public static ConfigException Empty(string key, string fix) => new(key, "", "the value is empty", fix);

    public static ConfigException DuplicateId(string key, string value, string otherKey, string what) => new(
        key, value, $"'{value}' is also the id of {otherKey}", $"each {what} may appear once: remove or rename one of them");

    public static ConfigException RelativePath(string key, string value) => new(
        key, value, $"'{value}' is a relative path" + (value.StartsWith('~') ? " (~ is not expanded)" : ""),
        "a folder path must be absolute, e.g. /srv/photos");

    public static ConfigException OverlappingPath(string key, string value, string otherKey, string otherValue, string relation) => new(
        key, value, $"'{value}' {relation} {otherKey} '{otherValue}'",
        "folders must not overlap (one inside another would sync the same files twice): give each folder its own directory");

    public static ConfigException UnknownSharedDevice(string key, string value) => new(
        key, value, $"the folder is shared with device '{value}', which is not listed under devices",
        $"add the device first (`lockstep device add --id {value}` or an entry under devices:), or remove it from this folder");

    public static ConfigException DuplicateShare(string key, string value) => new(
        key, value, $"device '{value}' is listed twice for this folder", "list each device once");

    public static ConfigException BadEndpoint(string key, string value, string problem, string example) => new(
        key, value, $"'{value}' {problem}", $"write it as {example}");

    public static ConfigException OutOfRange(string key, double value, string range, string example) => new(
        key, Format(value), $"{Format(value)} is out of range", $"use {range}, e.g. {example}");

    public static ConfigException UndefinedEnum(string key, int value, IReadOnlyList<string> allowed) => new(
        key, value.ToString(CultureInfo.InvariantCulture), $"{value} is not a defined value",
        $"use one of: {string.Join(", ", allowed)}");

    // ---- edits (WithDevice, ShareFolder, ...) ----

    public static ConfigException NoSuchFolder(string id, IEnumerable<string> known) => new(
        "folders", id, $"no folder has the id '{id}'",
        $"use one of the configured folder ids ({List(known)}); `lockstep folder list` shows them");

    public static ConfigException NoSuchDevice(string id, IEnumerable<string> known) => new(
        "devices", id, $"device '{id}' is not configured",
        $"add it first with `lockstep device add --id {id}`; configured devices: {List(known)}");

    // ---- environment overrides ----

    public static ConfigException EnvMalformed(string variable, string value) => new(
        variable, value, $"'{variable}' has an empty part between '__' separators",
        "name the key path with single words joined by '__', e.g. LOCKSTEP_API__ADDRESS");

    public static ConfigException EnvSection(string variable, string value, string key, string example) => new(
        key, value, $"{variable} names '{key}', which holds other keys rather than a value",
        $"name a key inside it, e.g. {example}");

    public static ConfigException EnvTooDeep(string variable, string value, string key) => new(
        key, value, $"{variable} goes below '{key}', which is a single value", $"end the name at {key}");

    public static ConfigException EnvNoItem(string variable, string value, string list, string selector, IEnumerable<string> ids) => new(
        list, value, $"{variable} selects {list} '{selector}', but there is no such entry",
        $"select an entry by its index from 0 or by its id ({List(ids)}); overrides change listed entries, they do not add new ones");

    public static ConfigException EnvAmbiguous(string variable, string value, string list, string selector, int index, int idIndex) => new(
        $"{list}[{idIndex}]", value,
        $"{variable}: '{selector}' is both the index of {list}[{index}] and the id of {list}[{idIndex}]",
        $"name another key of that entry in the file, or reorder the {list} so index and id agree");

    public static ConfigException EnvTwice(string key, string value, string first, string second) => new(
        key, value, $"both {first} and {second} set {key}", "unset one of them");

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string List(IEnumerable<string> items)
    {
        var all = items.ToList();
        return all.Count == 0 ? "none yet" : string.Join(", ", all);
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
