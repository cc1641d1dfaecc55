using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Lockstep.Node.Config;

/// <summary>
/// Writes a <see cref="NodeConfig"/> as config.yaml in ARCHITECTURE.md §4's shape and key order: block mappings,
/// entries indented under their list, short lists in flow style (<c>[a, b]</c>). Every key is written, defaults
/// included, so the file documents what is in effect. Comments are not kept: editing rewrites the file.
/// </summary>
internal sealed partial class ConfigWriter
{
    private readonly Emitter _emitter;

    private ConfigWriter(TextWriter output) =>
        _emitter = new Emitter(output, new EmitterSettings(
            bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024,
            skipAnchorName: false, indentSequences: true));

    public static string Write(NodeConfig config)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        new ConfigWriter(output).Document(config);
        return output.ToString();
    }

    private void Document(NodeConfig config)
    {
        Emit(new StreamStart());
        Emit(new DocumentStart());
        Emit(new Comment("Lockstep node configuration. lockstep rewrites this file when it edits it: comments are not kept.", false));
        Emit(new Comment("Environment variables override keys: LOCKSTEP_LISTEN, LOCKSTEP_API__ADDRESS, LOCKSTEP_FOLDERS__<id or index>__PATH, ...", false));
        BeginMapping();
        Text("name", config.Name);
        Text("listen", config.Listen);
        if (config.LogLevel != "information") // only when set, so the common file stays in §4's shape
            Plain("logLevel", config.LogLevel);
        Key("api");
        BeginMapping();
        Text("address", config.Api.Address);
        Text("key", config.Api.Key);
        if (config.Api.MetricsNoAuth) // only when set, so the common file stays in §4's shape
            Plain("metricsNoAuth", "true");
        if (config.Api.UnixSocket.Length > 0)
            Text("unixSocket", config.Api.UnixSocket);
        if (config.Api.Tls)
            Plain("tls", "true");
        if (!config.Api.CorsOrigins.IsEmpty)
            FlowList("corsOrigins", config.Api.CorsOrigins);
        EndMapping();
        Key("devices");
        Items(config.Devices, Device);
        Key("folders");
        Items(config.Folders, Folder);
        EndMapping();
        Emit(new DocumentEnd(isImplicit: true));
        Emit(new StreamEnd());
    }

    private void Device(DeviceConfig device)
    {
        Plain("id", device.Id.ToString());
        Text("name", device.Name);
        FlowList("addresses", device.Addresses);
        Plain("introducer", Bool(device.Introducer));
        Plain("compression", device.Compression.ToConfigName());
    }

    private void Folder(FolderConfig folder)
    {
        Text("id", folder.Id);
        Text("label", folder.Label);
        Text("path", folder.Path);
        Plain("type", folder.Type.ToConfigName());
        FlowList("devices", folder.Devices.Select(d => d.ToString()));
        Plain("rescanIntervalS", Number(folder.RescanIntervalS));
        Plain("fsWatcherEnabled", Bool(folder.FsWatcherEnabled));
        Plain("fsWatcherDelayS", Number(folder.FsWatcherDelayS));
        Plain("ignorePerms", Bool(folder.IgnorePerms));
        Plain("maxConflicts", folder.MaxConflicts.ToString(CultureInfo.InvariantCulture));
        Plain("maxDeletePercent", folder.MaxDeletePercent.ToString(CultureInfo.InvariantCulture));
        Plain("order", folder.Order.ToConfigName());
        Plain("pullerMaxPendingKiB", folder.PullerMaxPendingKiB.ToString(CultureInfo.InvariantCulture));
        if (folder.ScanProgressIntervalS != 0) // only when set
            Plain("scanProgressIntervalS", Number(folder.ScanProgressIntervalS));
        if (folder.ConflictStrategy is not Lockstep.Sync.Global.ConflictStrategy.Newest) // only when not the default
            Plain("conflictStrategy", folder.ConflictStrategy.ToString());
        if (folder.Versioning.Type != Lockstep.Sync.Versioning.VersioningKind.None) // only when on, so the common file stays in §4's shape
        {
            var v = folder.Versioning;
            Key("versioning");
            BeginMapping();
            Plain("type", VersioningConfig.TypeNames[(int)v.Type]);
            Key("params");
            BeginMapping();
            Plain("keep", v.Keep.ToString(CultureInfo.InvariantCulture));
            Plain("cleanoutDays", v.CleanoutDays.ToString(CultureInfo.InvariantCulture));
            Plain("maxAge", v.MaxAgeS.ToString(CultureInfo.InvariantCulture));
            EndMapping();
            Plain("cleanupIntervalS", Number(v.CleanupIntervalS));
            EndMapping();
        }
    }

    private void Items<T>(IReadOnlyCollection<T> items, Action<T> write)
    {
        Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, items.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
        foreach (var item in items)
        {
            BeginMapping();
            write(item);
            EndMapping();
        }
        Emit(new SequenceEnd());
    }

    private void FlowList(string key, IEnumerable<string> values)
    {
        Key(key);
        Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Flow));
        foreach (var value in values)
            Scalar(value, StyleFor(value));
        Emit(new SequenceEnd());
    }

    private void Text(string key, string value)
    {
        Key(key);
        Scalar(value, StyleFor(value));
    }

    private void Plain(string key, string value)
    {
        Key(key);
        Scalar(value, ScalarStyle.Plain);
    }

    private void Key(string key) => Scalar(key, ScalarStyle.Plain);

    private void BeginMapping() => Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block));

    private void EndMapping() => Emit(new MappingEnd());

    // The emitter still quotes a plain request when plain would not parse (": ", " #", leading "-", ...).
    private void Scalar(string value, ScalarStyle style) =>
        Emit(new YamlDotNet.Core.Events.Scalar(AnchorName.Empty, TagName.Empty, value, style, isPlainImplicit: true, isQuotedImplicit: true));

    private void Emit(ParsingEvent e) => _emitter.Emit(e);

    /// <summary>
    /// Text that a YAML reader would take for null, a boolean or a number is quoted, so the file reads back as
    /// text in any tool (YAML 1.1 spellings such as <c>yes</c> and <c>off</c> included).
    /// </summary>
    private static ScalarStyle StyleFor(string value) =>
        value.Length == 0 || LooksTyped().IsMatch(value) ? ScalarStyle.SingleQuoted : ScalarStyle.Plain;

    [GeneratedRegex(@"^(~|null|true|false|yes|no|on|off|y|n|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.inf|\.nan|0x[0-9a-f]+|0o[0-7]+|[0-9:]+)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LooksTyped();

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
