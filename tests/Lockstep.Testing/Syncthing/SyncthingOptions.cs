namespace Lockstep.Testing;

/// <summary>How to start one <see cref="SyncthingNode"/>: headless on 127.0.0.1, discovery, relays, NAT, usage and crash reporting and upgrades off.</summary>
public sealed record SyncthingOptions
{
    /// <summary>Syncthing's home (config, keys, database, log). Null: a fresh directory under /tmp. An existing home keeps its key and device ID.</summary>
    public string? Home { get; init; }

    /// <summary>Delete the home on dispose. Defaults to true for a temporary home and false for a given one.</summary>
    public bool? DeleteHomeOnDispose { get; init; }

    /// <summary>Syncthing's own device name.</summary>
    public string Name { get; init; } = "st";

    /// <summary>BEP listen port on 127.0.0.1; null picks a free one (and picks again if it is taken before Syncthing binds it).</summary>
    public int? ListenPort { get; init; }

    /// <summary>GUI/REST port on 127.0.0.1; null picks a free one.</summary>
    public int? GuiPort { get; init; }

    /// <summary>The REST API key (sent as X-API-Key); null makes a random one.</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// How often Syncthing redials devices with static addresses (reconnectionIntervalS; Syncthing's default is 60).
    /// Whole seconds, at least 5: 1.19 raises anything lower to 5 when it loads the config. Right after start it
    /// dials sooner (1, 2, 4 s… up to this interval).
    /// </summary>
    public TimeSpan ReconnectionInterval { get; init; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<SyncthingFolder> Folders { get; init; } = [];

    public IReadOnlyList<SyncthingDevice> Devices { get; init; } = [];

    /// <summary>Extra <c>&lt;options&gt;</c> children (e.g. <c>progressUpdateIntervalS</c>), written after the harness's own, which they may not repeat.</summary>
    public IReadOnlyDictionary<string, string> ExtraOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra environment for <c>syncthing serve</c>, e.g. <c>STTRACE=model,protocol</c> for debug logging.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>How long to wait for REST to answer and the BEP listener to open.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a clean shutdown may take before the process (only that PID) is killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The binary; null uses <see cref="Syncthing.Executable"/>.</summary>
    public string? Executable { get; init; }

    internal void Validate()
    {
        if (Home is not null && !Path.IsPathFullyQualified(Home))
            throw new ArgumentException($"home must be absolute, got '{Home}'");
        if (ListenPort is < 1 or > 65535 || GuiPort is < 1 or > 65535)
            throw new ArgumentException("ports are 1..65535 (or null for a free one)");
        if (ListenPort is not null && ListenPort == GuiPort)
            throw new ArgumentException("listen and GUI ports must differ");
        if (ReconnectionInterval < TimeSpan.FromSeconds(5) || ReconnectionInterval.Ticks % TimeSpan.TicksPerSecond != 0)
            throw new ArgumentException($"reconnection interval is whole seconds, at least 5 (Syncthing 1.19 raises lower values to 5); got {ReconnectionInterval}");
        if (ApiKey is not null && (ApiKey.Length == 0 || ApiKey.Any(char.IsWhiteSpace)))
            throw new ArgumentException("the API key must be non-empty without whitespace");
        if (StartTimeout <= TimeSpan.Zero || StopTimeout <= TimeSpan.Zero)
            throw new ArgumentException("timeouts must be positive");
        foreach (var name in ExtraOptions.Keys)
            if (SyncthingConfig.HarnessOptionNames.Contains(name))
                throw new ArgumentException($"option {name} is set by the harness; use the matching SyncthingOptions property");
        foreach (var f in Folders)
            f.Validate();
        foreach (var d in Devices)
            d.Validate();
        if (Folders.GroupBy(f => f.Id).FirstOrDefault(g => g.Count() > 1) is { } dupFolder)
            throw new ArgumentException($"folder {dupFolder.Key} is configured twice");
        if (Devices.GroupBy(d => d.Id).FirstOrDefault(g => g.Count() > 1) is { } dupDevice)
            throw new ArgumentException($"device {dupDevice.Key} is configured twice");
        var known = Devices.Select(d => d.Id).ToHashSet();
        foreach (var f in Folders)
            foreach (var d in f.SharedWith ?? [])
                if (!known.Contains(d))
                    throw new ArgumentException($"folder {f.Id} is shared with {d}, which is not among the devices");
    }
}
