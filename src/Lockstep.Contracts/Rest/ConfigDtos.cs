using System.Text.Json.Serialization;

namespace Lockstep.Contracts.Rest;

// /rest/config and its folders and devices in Syncthing's JSON (version 36, as Syncthing 1.19 writes it): every field
// Syncthing writes is here, so its tools read Lockstep's answers unchanged. The fields Lockstep acts on are mapped to
// its config; the others are written with Syncthing's defaults and accepted but not used. Lockstep's own folder
// settings (maxDeletePercent, conflictStrategy) sit beside Syncthing's.

public sealed class ConfigFolderDevice
{
    [JsonPropertyName("deviceID")] public string DeviceId { get; set; } = "";
    [JsonPropertyName("introducedBy")] public string IntroducedBy { get; set; } = "";
    [JsonPropertyName("encryptionPassword")] public string EncryptionPassword { get; set; } = "";
}

public sealed class ConfigSize
{
    [JsonPropertyName("value")] public double Value { get; set; } = 1;
    [JsonPropertyName("unit")] public string Unit { get; set; } = "%";
}

public sealed class ConfigVersioning
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("params")] public Dictionary<string, string> Params { get; set; } = new();
    [JsonPropertyName("cleanupIntervalS")] public double CleanupIntervalS { get; set; } = 3600;
    [JsonPropertyName("fsPath")] public string FsPath { get; set; } = "";
    [JsonPropertyName("fsType")] public string FsType { get; set; } = "basic";
}

public sealed class ConfigFolder
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("label")] public string Label { get; set; } = "";
    [JsonPropertyName("filesystemType")] public string FilesystemType { get; set; } = "basic";
    [JsonPropertyName("path")] public string Path { get; set; } = "";
    [JsonPropertyName("type")] public string Type { get; set; } = "sendreceive";
    [JsonPropertyName("devices")] public List<ConfigFolderDevice> Devices { get; set; } = [];
    [JsonPropertyName("rescanIntervalS")] public double RescanIntervalS { get; set; } = 3600;
    [JsonPropertyName("fsWatcherEnabled")] public bool FsWatcherEnabled { get; set; } = true;
    [JsonPropertyName("fsWatcherDelayS")] public double FsWatcherDelayS { get; set; } = 10;
    [JsonPropertyName("ignorePerms")] public bool IgnorePerms { get; set; }
    [JsonPropertyName("autoNormalize")] public bool AutoNormalize { get; set; } = true;
    [JsonPropertyName("minDiskFree")] public ConfigSize MinDiskFree { get; set; } = new();
    [JsonPropertyName("versioning")] public ConfigVersioning Versioning { get; set; } = new();
    [JsonPropertyName("copiers")] public int Copiers { get; set; }
    [JsonPropertyName("pullerMaxPendingKiB")] public int PullerMaxPendingKiB { get; set; }
    [JsonPropertyName("hashers")] public int Hashers { get; set; }
    [JsonPropertyName("order")] public string Order { get; set; } = "random";
    [JsonPropertyName("ignoreDelete")] public bool IgnoreDelete { get; set; }
    [JsonPropertyName("scanProgressIntervalS")] public double ScanProgressIntervalS { get; set; }
    [JsonPropertyName("pullerPauseS")] public int PullerPauseS { get; set; }
    [JsonPropertyName("maxConflicts")] public int MaxConflicts { get; set; } = 10;
    [JsonPropertyName("disableSparseFiles")] public bool DisableSparseFiles { get; set; }
    [JsonPropertyName("disableTempIndexes")] public bool DisableTempIndexes { get; set; }
    [JsonPropertyName("paused")] public bool Paused { get; set; }
    [JsonPropertyName("weakHashThresholdPct")] public int WeakHashThresholdPct { get; set; } = 25;
    [JsonPropertyName("markerName")] public string MarkerName { get; set; } = ".stfolder";
    [JsonPropertyName("copyOwnershipFromParent")] public bool CopyOwnershipFromParent { get; set; }
    [JsonPropertyName("modTimeWindowS")] public int ModTimeWindowS { get; set; }
    [JsonPropertyName("maxConcurrentWrites")] public int MaxConcurrentWrites { get; set; } = 2;
    [JsonPropertyName("disableFsync")] public bool DisableFsync { get; set; }
    [JsonPropertyName("blockPullOrder")] public string BlockPullOrder { get; set; } = "standard";
    [JsonPropertyName("copyRangeMethod")] public string CopyRangeMethod { get; set; } = "standard";
    [JsonPropertyName("caseSensitiveFS")] public bool CaseSensitiveFs { get; set; }
    [JsonPropertyName("junctionsAsDirs")] public bool JunctionsAsDirs { get; set; }
    [JsonPropertyName("maxDeletePercent")] public int MaxDeletePercent { get; set; } = 50;
    [JsonPropertyName("conflictStrategy")] public string ConflictStrategy { get; set; } = "newest";
}

public sealed class ConfigDevice
{
    [JsonPropertyName("deviceID")] public string DeviceId { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("addresses")] public List<string> Addresses { get; set; } = ["dynamic"];
    [JsonPropertyName("compression")] public string Compression { get; set; } = "metadata";
    [JsonPropertyName("certName")] public string CertName { get; set; } = "";
    [JsonPropertyName("introducer")] public bool Introducer { get; set; }
    [JsonPropertyName("skipIntroductionRemovals")] public bool SkipIntroductionRemovals { get; set; }
    [JsonPropertyName("introducedBy")] public string IntroducedBy { get; set; } = "";
    [JsonPropertyName("paused")] public bool Paused { get; set; }
    [JsonPropertyName("allowedNetworks")] public List<string> AllowedNetworks { get; set; } = [];
    [JsonPropertyName("autoAcceptFolders")] public bool AutoAcceptFolders { get; set; }
    [JsonPropertyName("maxSendKbps")] public int MaxSendKbps { get; set; }
    [JsonPropertyName("maxRecvKbps")] public int MaxRecvKbps { get; set; }
    [JsonPropertyName("ignoredFolders")] public List<ConfigObserved> IgnoredFolders { get; set; } = [];
    [JsonPropertyName("maxRequestKiB")] public int MaxRequestKiB { get; set; }
    [JsonPropertyName("untrusted")] public bool Untrusted { get; set; }
    [JsonPropertyName("remoteGUIPort")] public int RemoteGuiPort { get; set; }
}

public sealed class ConfigObserved
{
    [JsonPropertyName("time")] public DateTimeOffset Time { get; set; }
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("label")] public string Label { get; set; } = "";
}

public sealed class ConfigGui
{
    [JsonPropertyName("enabled")] public bool Enabled { get; set; } = true;
    [JsonPropertyName("address")] public string Address { get; set; } = "";
    [JsonPropertyName("unixSocketPermissions")] public string UnixSocketPermissions { get; set; } = "";
    [JsonPropertyName("user")] public string User { get; set; } = "";
    [JsonPropertyName("password")] public string Password { get; set; } = "";
    [JsonPropertyName("authMode")] public string AuthMode { get; set; } = "static";
    [JsonPropertyName("useTLS")] public bool UseTls { get; set; }
    [JsonPropertyName("apiKey")] public string ApiKey { get; set; } = "";
    [JsonPropertyName("insecureAdminAccess")] public bool InsecureAdminAccess { get; set; }
    [JsonPropertyName("theme")] public string Theme { get; set; } = "default";
    [JsonPropertyName("debugging")] public bool Debugging { get; set; }
    [JsonPropertyName("insecureSkipHostcheck")] public bool InsecureSkipHostcheck { get; set; }
    [JsonPropertyName("insecureAllowFrameLoading")] public bool InsecureAllowFrameLoading { get; set; }
}

/// <summary>The options Lockstep has: where it listens. (Syncthing's discovery, relay and NAT options do not apply.)</summary>
public sealed class ConfigOptions
{
    [JsonPropertyName("listenAddresses")] public List<string> ListenAddresses { get; set; } = [];
    [JsonPropertyName("globalAnnounceEnabled")] public bool GlobalAnnounceEnabled { get; set; }
    [JsonPropertyName("localAnnounceEnabled")] public bool LocalAnnounceEnabled { get; set; }
    [JsonPropertyName("relaysEnabled")] public bool RelaysEnabled { get; set; }
    [JsonPropertyName("natEnabled")] public bool NatEnabled { get; set; }
    [JsonPropertyName("urAccepted")] public int UrAccepted { get; set; } = -1;
    [JsonPropertyName("crashReportingEnabled")] public bool CrashReportingEnabled { get; set; }
}

public sealed class ConfigDefaults
{
    [JsonPropertyName("folder")] public ConfigFolder Folder { get; set; } = new();
    [JsonPropertyName("device")] public ConfigDevice Device { get; set; } = new();
    [JsonPropertyName("ignores")] public ConfigIgnores Ignores { get; set; } = new();
}

/// <summary>The .stignore lines a new folder starts with (none).</summary>
public sealed class ConfigIgnores
{
    [JsonPropertyName("lines")] public List<string> Lines { get; set; } = [];
}

/// <summary>GET/PUT /rest/config.</summary>
public sealed class ConfigRoot
{
    [JsonPropertyName("version")] public int Version { get; set; } = 36;
    [JsonPropertyName("folders")] public List<ConfigFolder> Folders { get; set; } = [];
    [JsonPropertyName("devices")] public List<ConfigDevice> Devices { get; set; } = [];
    [JsonPropertyName("gui")] public ConfigGui Gui { get; set; } = new();
    [JsonPropertyName("options")] public ConfigOptions Options { get; set; } = new();
    [JsonPropertyName("remoteIgnoredDevices")] public List<ConfigObserved> RemoteIgnoredDevices { get; set; } = [];
    [JsonPropertyName("defaults")] public ConfigDefaults Defaults { get; set; } = new();
}
