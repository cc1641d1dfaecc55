using System.Collections;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lockstep.Node.Config;

/// <summary>Reads and writes config.yaml (ARCHITECTURE.md §4). Every read and every write is validated.</summary>
public static partial class ConfigFile
{
    /// <summary>Owner read/write only: the file holds the API key.</summary>
    public const UnixFileMode Permissions = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Loads <paramref name="path"/>, applies <c>LOCKSTEP_</c> environment overrides and validates the result.
    /// Use <see cref="LoadWithoutOverrides"/> for a configuration that will be edited and saved.
    /// </summary>
    /// <param name="path">The config file.</param>
    /// <param name="environment">The variables to take overrides from; null reads the process environment.</param>
    /// <remarks>
    /// <para>An override is <c>LOCKSTEP_</c> plus the key path joined by <c>__</c>, case-insensitive:
    /// <c>LOCKSTEP_NAME</c>, <c>LOCKSTEP_LISTEN</c>, <c>LOCKSTEP_API__ADDRESS</c>, <c>LOCKSTEP_API__KEY</c>.</para>
    /// <para>A device or folder entry is selected either by index from 0 in file order —
    /// <c>LOCKSTEP_FOLDERS__0__RESCANINTERVALS=60</c> — or by id, matched case-insensitively —
    /// <c>LOCKSTEP_FOLDERS__photos__PATH=/mnt/photos</c> (devices by device ID, dashes optional). A selector that
    /// is one entry's index and another's id is an error. Overrides change listed entries; they never add one.
    /// List keys (<c>addresses</c>, a folder's <c>devices</c>) take comma-separated values.</para>
    /// <para>A name containing <c>__</c> that is not a known key path is an error, like an unknown key in the
    /// file. Single-word names that are not top-level keys (<c>LOCKSTEP_HOME</c>, <c>LOCKSTEP_API_ADDRESS</c>,
    /// <c>LOCKSTEP_API_KEY</c>: CLI variables, not config) are ignored unless they are one typo away from one.</para>
    /// </remarks>
    /// <exception cref="ConfigException">The file is missing, not valid YAML, or not a valid configuration; or an override is.</exception>
    public static NodeConfig Load(string path, IReadOnlyDictionary<string, string?>? environment = null) =>
        Parse(ReadText(path), path, environment ?? ProcessEnvironment());

    /// <summary>
    /// Loads <paramref name="path"/> as written, without environment overrides: the form to edit and save back,
    /// so an override never leaks into the file.
    /// </summary>
    /// <exception cref="ConfigException">The file is missing, not valid YAML, or not a valid configuration.</exception>
    public static NodeConfig LoadWithoutOverrides(string path) =>
        Parse(ReadText(path), path, new Dictionary<string, string?>());

    /// <summary>The file's text for <paramref name="config"/>, exactly as <see cref="Save"/> writes it.</summary>
    public static string ToText(NodeConfig config) => ConfigWriter.Write(config);

    /// <summary>Parses and validates config text as written (no overrides), naming <paramref name="source"/> in errors.</summary>
    /// <exception cref="ConfigException">Not valid YAML, or not a valid configuration.</exception>
    public static NodeConfig FromText(string text, string source) => Parse(text, source, new Dictionary<string, string?>());

    /// <summary>The SHA-256 (lowercase hex) of the file's bytes: what an editor saw, so a concurrent edit is noticed.</summary>
    public static string Fingerprint(string path) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>
    /// Validates <paramref name="config"/> and writes it to <paramref name="path"/> atomically (temp file in the
    /// same directory, fsync, rename over, fsync the directory), with mode 0600.
    /// </summary>
    /// <exception cref="ConfigException">The configuration is not valid; the file is left as it was.</exception>
    public static void Save(string path, NodeConfig config)
    {
        Validate(config, path);
        AtomicFile.WriteAllText(path, ConfigWriter.Write(config), Permissions);
    }

    /// <summary>
    /// Validates <paramref name="config"/> as <see cref="Save"/> would, naming <paramref name="path"/> in the
    /// error, without writing anything: for checking a configuration before other files are created.
    /// </summary>
    /// <exception cref="ConfigException">The configuration is not valid.</exception>
    public static void Validate(NodeConfig config, string path)
    {
        try
        {
            config.Validate();
        }
        catch (ConfigException e)
        {
            throw e.InFile(path, location: null);
        }
    }

    /// <summary>Parses config text; <paramref name="source"/> names it in errors.</summary>
    internal static NodeConfig Parse(string text, string source, IReadOnlyDictionary<string, string?> environment)
    {
        ConfigReader? reader = null;
        try
        {
            var root = Root(text);
            reader = new ConfigReader(EnvironmentOverrides.Apply(root, environment));
            var config = reader.Read(root);
            config.Validate();
            return config;
        }
        catch (ConfigException e)
        {
            throw e.InFile(source, reader is null ? null : LocationOf(e.Key, reader.Locations));
        }
    }

    private static YamlMappingNode Root(string text)
    {
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(text));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            throw ConfigErrors.Syntax(StripMark(e.Message)).At($"line {e.Start.Line}, column {e.Start.Column}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, on some malformed input (e.g. an unclosed
            // '[' followed by more keys); the scanner's own position is where it gave up.
            var at = scanner.CurrentPosition;
            throw ConfigErrors.Syntax("the YAML parser gave up here (often an unclosed '[' or '{')").At($"line {at.Line}, column {at.Column}");
        }
        if (stream.Documents.Count > 1)
            throw ConfigErrors.MultipleDocuments(stream.Documents.Count).At($"line {stream.Documents[1].RootNode.Start.Line}");
        return stream.Documents.Count == 0
            ? new YamlMappingNode()
            : stream.Documents[0].RootNode switch
            {
                YamlMappingNode mapping => mapping,
                YamlScalarNode { Style: ScalarStyle.Plain, Value: "" or "~" or "null" } => new YamlMappingNode(),
                var other => throw ConfigErrors.WrongShape("", (other as YamlScalarNode)?.Value,
                    "a mapping of keys", "name:, listen:, api:, devices: and folders: at the start of their lines")
                    .At($"line {other.Start.Line}, column {other.Start.Column}"),
            };
    }

    // A validation error names a key path; find where that value (or the nearest enclosing one) came from.
    private static string? LocationOf(string key, IReadOnlyDictionary<string, string> locations)
    {
        for (var k = key; k.Length > 0; k = Parent(k))
            if (locations.TryGetValue(k, out var location))
                return location;
        return null;
    }

    private static string Parent(string key)
    {
        var cut = Math.Max(key.LastIndexOf('.'), key.LastIndexOf('['));
        return cut <= 0 ? "" : key[..cut];
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw ConfigErrors.FileMissing(path);
        }
    }

    private static Dictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            result[(string)entry.Key] = entry.Value as string;
        return result;
    }

    // YamlDotNet prefixes its messages with "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; we give the line ourselves.
    private static string StripMark(string message) => YamlMark().Replace(message, "").Trim().TrimEnd('.');

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex YamlMark();
}
