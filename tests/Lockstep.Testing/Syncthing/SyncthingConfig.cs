using System.Globalization;
using System.Xml.Linq;

namespace Lockstep.Testing;

/// <summary>
/// Writes config.xml (version 36) for Syncthing 1.19 after bep-v1.md §7's template, which loaded in 1.19.2. Every
/// folder child is spelled out with the values of <c>&lt;defaults&gt;&lt;folder&gt;</c>, because omitted children
/// become Go zero values (maxConflicts=0 silently deletes conflict losers).
/// </summary>
public static class SyncthingConfig
{
    /// <summary>The <c>&lt;options&gt;</c> the harness always sets; <see cref="SyncthingOptions.ExtraOptions"/> may not repeat them.</summary>
    public static IReadOnlyList<string> HarnessOptionNames { get; } =
    [
        "listenAddress", "globalAnnounceEnabled", "localAnnounceEnabled", "relaysEnabled", "natEnabled", "urAccepted", "urSeen",
        "crashReportingEnabled", "autoUpgradeIntervalH", "startBrowser", "reconnectionIntervalS", "setLowPriority",
        "insecureAllowOldTLSVersions", "restartOnWakeup",
    ];

    /// <summary>Folder path after defaults: the given one, or HOME/folders/ID.</summary>
    public static string FolderPath(SyncthingFolder folder, string home) => folder.Path ?? Path.Combine(home, "folders", folder.Id);

    /// <summary>The config.xml text for a node whose own ID is <paramref name="myId"/>.</summary>
    public static string Build(SyncthingOptions options, string myId, string home, int listenPort, int guiPort, string apiKey)
    {
        options.Validate();
        var root = new XElement("configuration", new XAttribute("version", 36));
        foreach (var f in options.Folders)
            root.Add(Folder(f, home, myId, f.SharedWith ?? options.Devices.Select(d => d.Id).ToList()));
        root.Add(Device(new SyncthingDevice(myId) { Name = options.Name }));
        foreach (var d in options.Devices)
            root.Add(Device(d));
        root.Add(new XElement("gui", new XAttribute("enabled", "true"), new XAttribute("tls", "false"), new XAttribute("debugging", "false"),
            new XElement("address", $"127.0.0.1:{guiPort}"),
            new XElement("apikey", apiKey),
            new XElement("theme", "default")));

        var opts = new XElement("options",
            new XElement("listenAddress", $"tcp://127.0.0.1:{listenPort}"),
            new XElement("globalAnnounceEnabled", "false"),
            new XElement("localAnnounceEnabled", "false"),
            new XElement("relaysEnabled", "false"),
            new XElement("natEnabled", "false"),
            // -1: usage reporting declined, never asked again.
            new XElement("urAccepted", "-1"),
            new XElement("urSeen", "3"),
            new XElement("crashReportingEnabled", "false"),
            new XElement("autoUpgradeIntervalH", "0"),
            new XElement("startBrowser", "false"),
            new XElement("reconnectionIntervalS", Seconds(options.ReconnectionInterval)),
            new XElement("setLowPriority", "false"),
            new XElement("restartOnWakeup", "false"),
            new XElement("insecureAllowOldTLSVersions", "false"));
        foreach (var (name, value) in options.ExtraOptions)
            opts.Add(new XElement(name, value));
        root.Add(opts);
        return new XDocument(root).ToString();
    }

    private static XElement Folder(SyncthingFolder f, string home, string myId, IEnumerable<string> sharedWith)
    {
        var folder = new XElement("folder",
            new XAttribute("id", f.Id),
            new XAttribute("label", f.Label ?? f.Id),
            new XAttribute("path", FolderPath(f, home)),
            new XAttribute("type", SyncthingNames.Of(f.Type)),
            new XAttribute("rescanIntervalS", Seconds(f.RescanInterval)),
            new XAttribute("fsWatcherEnabled", Bool(f.FsWatcherEnabled)),
            new XAttribute("fsWatcherDelayS", "1"),
            new XAttribute("ignorePerms", Bool(f.IgnorePerms)),
            new XAttribute("autoNormalize", "true"),
            new XElement("filesystemType", "basic"));
        foreach (var id in new[] { myId }.Concat(sharedWith).Distinct())
            folder.Add(new XElement("device", new XAttribute("id", id), new XAttribute("introducedBy", ""),
                new XElement("encryptionPassword", "")));
        folder.Add(
            new XElement("minDiskFree", new XAttribute("unit", "%"), "1"),
            new XElement("versioning",
                new XElement("cleanupIntervalS", "3600"),
                new XElement("fsPath", ""),
                new XElement("fsType", "basic")),
            new XElement("copiers", "0"),
            new XElement("pullerMaxPendingKiB", "0"),
            new XElement("hashers", "0"),
            new XElement("order", SyncthingNames.Of(f.Order)),
            new XElement("ignoreDelete", "false"),
            new XElement("scanProgressIntervalS", "0"),
            new XElement("pullerPauseS", "0"),
            new XElement("maxConflicts", f.MaxConflicts.ToString(CultureInfo.InvariantCulture)),
            new XElement("disableSparseFiles", "false"),
            new XElement("disableTempIndexes", "false"),
            new XElement("paused", Bool(f.Paused)),
            new XElement("weakHashThresholdPct", "25"),
            new XElement("markerName", ".stfolder"),
            new XElement("copyOwnershipFromParent", "false"),
            new XElement("modTimeWindowS", "0"),
            new XElement("maxConcurrentWrites", "2"),
            new XElement("disableFsync", "false"),
            new XElement("blockPullOrder", "standard"),
            new XElement("copyRangeMethod", "standard"),
            new XElement("caseSensitiveFS", "false"),
            new XElement("junctionsAsDirs", "false"));
        return folder;
    }

    private static XElement Device(SyncthingDevice d)
    {
        var device = new XElement("device",
            new XAttribute("id", d.Id),
            new XAttribute("name", d.Name ?? "peer"),
            new XAttribute("compression", SyncthingNames.Of(d.Compression)),
            new XAttribute("introducer", Bool(d.Introducer)),
            new XAttribute("skipIntroductionRemovals", "false"),
            new XAttribute("introducedBy", ""));
        foreach (var a in d.Addresses)
            device.Add(new XElement("address", a));
        device.Add(
            new XElement("paused", Bool(d.Paused)),
            new XElement("autoAcceptFolders", Bool(d.AutoAcceptFolders)),
            new XElement("maxSendKbps", "0"),
            new XElement("maxRecvKbps", "0"),
            new XElement("maxRequestKiB", "0"),
            new XElement("untrusted", "false"),
            new XElement("remoteGUIPort", "0"));
        return device;
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Seconds(TimeSpan t) => ((long)t.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
