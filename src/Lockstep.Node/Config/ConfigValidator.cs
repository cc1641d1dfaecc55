using Lockstep.Protocol.Identity;

namespace Lockstep.Node.Config;

/// <summary>
/// The checks a <see cref="NodeConfig"/> must pass wherever it comes from (file, environment, CLI edit, REST),
/// so everything downstream can trust it. Syntax and type errors are the reader's job; this sees typed values.
/// </summary>
internal static class ConfigValidator
{
    private const double MaxRescanIntervalS = 365 * 24 * 3600; // a year: beyond that it is a typo, not a policy
    private const double MaxFsWatcherDelayS = 3600;

    public static void Validate(NodeConfig config)
    {
        CheckListen(config.Listen);
        CheckApi(config.Api);
        if (!NodeConfig.LogLevelNames.Contains(config.LogLevel))
            throw ConfigErrors.BadEnum("logLevel", config.LogLevel, NodeConfig.LogLevelNames);
        var devices = CheckDevices(config.Devices);
        CheckFolders(config.Folders, devices);
    }

    private static void CheckListen(string listen)
    {
        const string example = "tcp://HOST:PORT, e.g. listen: tcp://0.0.0.0:22001";
        if (string.IsNullOrWhiteSpace(listen))
            throw ConfigErrors.Empty("listen", $"set it to {example}");
        if (!listen.StartsWith("tcp://", StringComparison.Ordinal))
            throw ConfigErrors.BadEndpoint("listen", listen, "is not a tcp:// address", example);
        if (HostPort.Check(listen["tcp://".Length..], allowPortZero: true) is { } problem)
            throw ConfigErrors.BadEndpoint("listen", listen, problem, example);
    }

    private static void CheckApi(ApiConfig api)
    {
        const string example = "HOST:PORT, e.g. address: 127.0.0.1:8385";
        if (string.IsNullOrWhiteSpace(api.Address))
            throw ConfigErrors.Empty("api.address", $"set it to {example}");
        if (api.Address.Contains("://", StringComparison.Ordinal))
            throw ConfigErrors.BadEndpoint("api.address", api.Address, "has a scheme", $"{example} (no http://)");
        if (HostPort.Check(api.Address, allowPortZero: true) is { } problem)
            throw ConfigErrors.BadEndpoint("api.address", api.Address, problem, example);
        if (string.IsNullOrWhiteSpace(api.Key))
            throw ConfigErrors.Empty("api.key",
                "set it to a long random secret (`lockstep init` writes one), or set LOCKSTEP_API__KEY");
        if (api.UnixSocket.Length > 0 && !Path.IsPathFullyQualified(api.UnixSocket))
            throw new ConfigException("api.unixSocket", api.UnixSocket, $"'{api.UnixSocket}' is a relative path", "give the socket an absolute path, e.g. /run/lockstep/api.sock");
        for (int i = 0; i < api.CorsOrigins.Length; i++)
        {
            var origin = api.CorsOrigins[i];
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/" || origin.EndsWith('/'))
                throw ConfigErrors.BadEndpoint($"api.corsOrigins[{i}]", origin, "is not an origin", "scheme://host[:port] with no path, e.g. https://dash.example:8443");
        }
    }

    private static Dictionary<DeviceId, int> CheckDevices(IReadOnlyList<DeviceConfig> devices)
    {
        var seen = new Dictionary<DeviceId, int>();
        for (int i = 0; i < devices.Count; i++)
        {
            var device = devices[i];
            var key = $"devices[{i}]";
            if (device.Id == default)
                throw ConfigErrors.Empty($"{key}.id", "set it to the peer's device ID, as `lockstep id` prints it on that machine");
            if (!seen.TryAdd(device.Id, i))
                throw ConfigErrors.DuplicateId($"{key}.id", device.Id.ToString(), $"devices[{seen[device.Id]}]", "device");
            for (int a = 0; a < device.Addresses.Length; a++)
                CheckDeviceAddress($"{key}.addresses[{a}]", device.Addresses[a]);
            if (!Enum.IsDefined(device.Compression))
                throw ConfigErrors.UndefinedEnum($"{key}.compression", (int)device.Compression, ConfigEnums.CompressionNames);
        }
        return seen;
    }

    private static void CheckDeviceAddress(string key, string address)
    {
        const string example = "tcp://HOST:PORT (e.g. tcp://node-b.example:22001) or dynamic";
        if (string.IsNullOrWhiteSpace(address))
            throw ConfigErrors.Empty(key, $"write {example}, or remove the entry");
        if (address == "dynamic")
            return;
        var scheme = address.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0 || address[..scheme] is not ("tcp" or "tcp4" or "tcp6"))
            throw ConfigErrors.BadEndpoint(key, address, "is not a tcp:// address", example);
        if (HostPort.Check(address[(scheme + 3)..], allowPortZero: false) is { } problem)
            throw ConfigErrors.BadEndpoint(key, address, problem, example);
    }

    private static void CheckFolders(IReadOnlyList<FolderConfig> folders, Dictionary<DeviceId, int> devices)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < folders.Count; i++)
        {
            var folder = folders[i];
            var key = $"folders[{i}]";
            if (string.IsNullOrWhiteSpace(folder.Id))
                throw ConfigErrors.Empty($"{key}.id", "give the folder a short id that is unique in the cluster, e.g. id: photos");
            if (!ids.TryAdd(folder.Id, i))
                throw ConfigErrors.DuplicateId($"{key}.id", folder.Id, $"folders[{ids[folder.Id]}]", "folder id");
            if (string.IsNullOrWhiteSpace(folder.Path))
                throw ConfigErrors.Empty($"{key}.path", "set it to the folder's absolute directory, e.g. path: /srv/photos");
            if (!Path.IsPathFullyQualified(folder.Path))
                throw ConfigErrors.RelativePath($"{key}.path", folder.Path);
            if (!Enum.IsDefined(folder.Type))
                throw ConfigErrors.UndefinedEnum($"{key}.type", (int)folder.Type, ConfigEnums.FolderTypeNames);
            CheckShares(key, folder, devices);
            CheckRanges(key, folder);
        }
        CheckOverlaps(folders);
    }

    private static void CheckShares(string key, FolderConfig folder, Dictionary<DeviceId, int> devices)
    {
        var shared = new HashSet<DeviceId>();
        for (int d = 0; d < folder.Devices.Length; d++)
        {
            var device = folder.Devices[d];
            if (!devices.ContainsKey(device))
                throw ConfigErrors.UnknownSharedDevice($"{key}.devices[{d}]", device.ToString());
            if (!shared.Add(device))
                throw ConfigErrors.DuplicateShare($"{key}.devices[{d}]", device.ToString());
        }
    }

    private static void CheckRanges(string key, FolderConfig folder)
    {
        if (!double.IsFinite(folder.RescanIntervalS) || folder.RescanIntervalS < 0 || folder.RescanIntervalS > MaxRescanIntervalS)
            throw ConfigErrors.OutOfRange($"{key}.rescanIntervalS", folder.RescanIntervalS,
                $"0 (no periodic rescan) to {MaxRescanIntervalS} seconds (a year)", "rescanIntervalS: 3600");
        if (!double.IsFinite(folder.ScanProgressIntervalS) || folder.ScanProgressIntervalS > 3600)
            throw ConfigErrors.OutOfRange($"{key}.scanProgressIntervalS", folder.ScanProgressIntervalS,
                "at most 3600 seconds (0: the default 2; negative: no progress events)", "scanProgressIntervalS: 2");
        if (!double.IsFinite(folder.FsWatcherDelayS) || folder.FsWatcherDelayS < 0 || folder.FsWatcherDelayS > MaxFsWatcherDelayS)
            throw ConfigErrors.OutOfRange($"{key}.fsWatcherDelayS", folder.FsWatcherDelayS,
                $"0 to {MaxFsWatcherDelayS} seconds", "fsWatcherDelayS: 0.05");
        if (folder.MaxConflicts < -1)
            throw ConfigErrors.OutOfRange($"{key}.maxConflicts", folder.MaxConflicts,
                "-1 (keep every conflict copy), 0 (keep none) or a positive count", "maxConflicts: 10");
        var v = folder.Versioning;
        if (v.Keep < 1)
            throw ConfigErrors.OutOfRange($"{key}.versioning.params.keep", v.Keep, "1 or more copies per file", "keep: 5");
        if (v.CleanoutDays < 0)
            throw ConfigErrors.OutOfRange($"{key}.versioning.params.cleanoutDays", v.CleanoutDays, "0 (keep forever) or more days", "cleanoutDays: 30");
        if (v.MaxAgeS < 0)
            throw ConfigErrors.OutOfRange($"{key}.versioning.params.maxAge", v.MaxAgeS, "0 (forever) or more seconds", "maxAge: 31536000");
        if (!double.IsFinite(v.CleanupIntervalS) || v.CleanupIntervalS < 1)
            throw ConfigErrors.OutOfRange($"{key}.versioning.cleanupIntervalS", v.CleanupIntervalS, "1 second or more", "cleanupIntervalS: 3600");
        if (folder.MaxDeletePercent is < 0 or > 100)
            throw ConfigErrors.OutOfRange($"{key}.maxDeletePercent", folder.MaxDeletePercent,
                "0 (any delete waits for a person) to 100 (no limit) percent of the folder's files", "maxDeletePercent: 50");
        if (folder.PullerMaxPendingKiB is < 128 or > 4 * 1024 * 1024)
            throw ConfigErrors.OutOfRange($"{key}.pullerMaxPendingKiB", folder.PullerMaxPendingKiB,
                "128 KiB (one block) to 4194304 KiB (4 GiB) requested and not yet written", "pullerMaxPendingKiB: 32768");
    }

    // Paths are compared after resolving "." and ".." and dropping trailing slashes, so "/srv/a/" and
    // "/srv/b/../a" are the same directory. Symlinks are not resolved: the config is checked without touching disk.
    private static void CheckOverlaps(IReadOnlyList<FolderConfig> folders)
    {
        var roots = folders.Select(f => Normalize(f.Path)).ToArray();
        for (int j = 1; j < roots.Length; j++)
        {
            for (int i = 0; i < j; i++)
            {
                var relation = roots[i] == roots[j] ? "is the same directory as"
                    : IsInside(roots[j], roots[i]) ? "is inside"
                    : IsInside(roots[i], roots[j]) ? "contains"
                    : null;
                if (relation is not null)
                    throw ConfigErrors.OverlappingPath($"folders[{j}].path", folders[j].Path, $"folders[{i}].path", folders[i].Path, relation);
            }
        }
    }

    private static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    private static bool IsInside(string inner, string outer)
    {
        var prefix = Path.EndsInDirectorySeparator(outer) ? outer : outer + Path.DirectorySeparatorChar;
        return inner.StartsWith(prefix, StringComparison.Ordinal);
    }
}
