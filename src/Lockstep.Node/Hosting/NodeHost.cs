using System.Text.Json;
using Lockstep.Index;
using Lockstep.Node.Config;
using Lockstep.Node.Home;
using Lockstep.Node.Logging;
using Lockstep.Node.Peers;
using Lockstep.Protocol.Identity;
using Lockstep.Sync.Folders;
using Microsoft.Extensions.Logging;

namespace Lockstep.Node.Hosting;

/// <summary>
/// The running node (composition root): holds the home lock, writes runtime.json, runs one folder runner
/// per configured folder until cancelled. Later issues add the listener, dialers and the API here.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    private readonly NodeHome _home;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly FolderSet _folders = new();
    private CancellationToken _stopping;
    private HomeLock? _lock;
    private IndexDatabase? _index;

    public NodeHost(NodeHome home, ILoggerFactory loggers, SupervisorPolicy? supervision = null)
    {
        _home = home;
        _loggers = loggers;
        _log = loggers.CreateLogger("Lockstep.Node");
        _supervision = supervision ?? SupervisorPolicy.Default;
    }

    private readonly SupervisorPolicy _supervision;

    public IReadOnlyList<FolderRunner> Runners => _folders.InOrder;

    /// <summary>When the node started (its uptime counts from here).</summary>
    public DateTimeOffset StartedAt { get; private set; } = DateTimeOffset.UtcNow;

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the node listens, serves its API and has written runtime.json; faults if it failed to start.</summary>
    public Task Ready => _ready.Task;

    /// <summary>The REST API; null until the node has started.</summary>
    public Api.ApiServer? Api { get; private set; }
    public DeviceId DeviceId { get; private set; }

    /// <summary>The node's index; null until the node has started.</summary>
    public IndexDatabase? Index => _index;

    /// <summary>The node's peers (listener, dialers, connections); null until the node has started.</summary>
    public PeerManager? Peers { get; private set; }

    /// <summary>What happened lately (folder states, index updates, connections), for /rest/events.</summary>
    public Lockstep.Node.Events.EventLog Events { get; } = new();

    /// <summary>Each folder's counts, computed at most twice a second while it changes.</summary>
    public FolderSummaries Summaries => _summaries ??= new FolderSummaries(() => _index);
    private FolderSummaries? _summaries;

    /// <summary>The node's instruments, exported at /metrics.</summary>
    public Lockstep.Node.Metrics.NodeMetrics Metrics => _metrics ??= new Lockstep.Node.Metrics.NodeMetrics(this);
    private Lockstep.Node.Metrics.NodeMetrics? _metrics;

    /// <summary>The configuration the node runs with (null before it starts).</summary>
    public NodeConfig? Config => _config;

    /// <summary>Runs until <paramref name="cancellationToken"/> fires; a folder in error does not stop the others.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunNodeAsync(cancellationToken);
        }
        catch (Exception e)
        {
            _ready.TrySetException(e);
            throw;
        }
        _ready.TrySetCanceled(CancellationToken.None); // stopped before it was ready: nothing waits forever
    }

    private async Task RunNodeAsync(CancellationToken cancellationToken)
    {
        _home.RequireInitialised();
        _lock = HomeLock.Acquire(_home, "start the node");
        ThreadPoolFloor.Ensure();
        IdleMemoryTrimmer.EnsureStarted();
        StartedAt = DateTimeOffset.UtcNow;
        var config = ConfigFile.Load(_home.ConfigPath);
        using var certificate = DeviceCertificate.LoadWithKey(_home.CertPath, _home.KeyPath);
        DeviceId = DeviceCertificate.IdOf(certificate);
        _index = IndexDatabase.Open(_home.IndexPath);

        _stopping = cancellationToken;
        foreach (var folder in config.Folders)
            StartFolder(folder);
        _config = config;
        Peers = new PeerManager(config, certificate, _index, _folders, _loggers) { Introduce = ApplyConfigChange, Events = Events };
        try
        {
            try
            {
                await Peers.StartAsync(cancellationToken);
            }
            catch (Lockstep.Connections.Errors.ConnectionException e) when (e.Error is Lockstep.Connections.Errors.ConnectionError.ListenFailed
                                                                           or Lockstep.Connections.Errors.ConnectionError.InvalidAddress)
            {
                throw new NodeStartException($"{e.Message}; set another 'listen' address in {_home.ConfigPath} (or LOCKSTEP_LISTEN), " +
                                             "or stop the program that holds it", e);
            }
            foreach (var runner in _folders.Values)
                runner.AttachPeers(Peers);
            try
            {
                Api = await Lockstep.Node.Api.ApiServer.StartAsync(this, config, _loggers, cancellationToken, certificate);
            }
            catch (IOException e)
            {
                throw new NodeStartException($"the REST API cannot listen on {config.Api.Address}: {e.Message}; set another 'api.address' in {_home.ConfigPath} " +
                                             "(or LOCKSTEP_API__ADDRESS), or stop the program that holds it", e);
            }
            WriteRuntime(new RuntimeInfo(Environment.ProcessId, StartedAt, Peers.ListenAddress, config.Api.Tls ? Api.Url : Api.Address));
            NodeLog.Started(_log, DeviceId.ToString(), config.Name, config.Folders.Length);
            Events.Publish("StartupComplete", new Lockstep.Contracts.Rest.StartupCompleteData(DeviceId.ToString()),
                Lockstep.Contracts.ContractsJsonContext.Default.StartupCompleteData);
            _ready.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A stop (SIGTERM, say) while still starting is as clean as one later: what started is stopped below.
        }
        if (Api is not null)
            await Api.DisposeAsync();
        Api = null;
        await Peers.DisposeAsync();
        await _folders.WhenAllStopped();
        NodeLog.Stopped(_log, DeviceId.ToString());
    }

    private readonly SemaphoreSlim _configGate = new(1, 1);
    private NodeConfig? _config;

    /// <summary>A folder's runner, started under its supervisor; it stops with the node or on its own (<see cref="FolderSet.StopAsync"/>).</summary>
    private void StartFolder(FolderConfig folder)
    {
        var runner = new FolderRunner(FolderSettingsFactory.From(folder, DeviceId), _index!.Folder(folder.Id), _loggers.CreateLogger("Lockstep.Sync"));
        var progressEvery = folder.ScanProgressIntervalS < 0 ? (TimeSpan?)null
            : TimeSpan.FromSeconds(folder.ScanProgressIntervalS == 0 ? FolderConfig.DefaultScanProgressIntervalS : folder.ScanProgressIntervalS);
        Lockstep.Node.Events.FolderEvents.Attach(Events, runner, Summaries, TimeProvider.System, Metrics, progressEvery);
        if (Peers is not null)
            runner.AttachPeers(Peers);
        _folders.Start(runner, stop => FolderSupervisor.RunAsync(runner, _supervision, _log, TimeProvider.System, stop), _stopping);
    }

    /// <summary>
    /// The one way a running node's configuration changes (the REST API, an introducer). <paramref name="change"/> is
    /// applied to the running configuration and to the file's own content (so environment overrides are never written
    /// back); the result is validated, saved atomically, then taken live: folders added, removed or changed start,
    /// stop or restart (a change of only the devices a folder is shared with just updates its runner), and devices
    /// whose configuration or shared folders changed reconnect so both ends exchange the new ClusterConfig. Returns the
    /// new configuration, or null when <paramref name="change"/> changed nothing.
    /// </summary>
    /// <exception cref="ConfigException">The changed configuration is not valid; nothing was written or applied.</exception>
    public async Task<NodeConfig?> ChangeConfigAsync(Func<NodeConfig, NodeConfig?> change)
    {
        await _configGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_config is not { } previous || change(previous) is not { } next || next == previous)
                return null;
            ConfigFile.Validate(next, _home.ConfigPath);
            var file = ConfigFile.LoadWithoutOverrides(_home.ConfigPath);
            ConfigFile.Save(_home.ConfigPath, change(file) ?? file);
            _config = next;
            await ApplyLiveAsync(previous, next).ConfigureAwait(false);
            NodeLog.ConfigApplied(_log, _home.ConfigPath);
            return next;
        }
        finally
        {
            _configGate.Release();
        }
    }

    /// <summary>
    /// config.yaml replaced by an editor that read it while the node ran (`lockstep device add` and the other editing
    /// commands): <paramref name="text"/> is taken only if the file still has the <paramref name="fingerprint"/> the
    /// editor read, so no concurrent change is lost; it is validated, saved, loaded with the environment overrides and
    /// applied live like any other change.
    /// </summary>
    /// <exception cref="ConfigException">The text is not a valid configuration; nothing changed.</exception>
    /// <exception cref="ConfigConflictException">The file changed since the editor read it; read again and retry.</exception>
    public async Task ReplaceConfigFileAsync(string text, string fingerprint)
    {
        await _configGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_config is not { } previous)
                throw new InvalidOperationException("the node is not running");
            if (ConfigFile.Fingerprint(_home.ConfigPath) != fingerprint)
                throw new ConfigConflictException(_home.ConfigPath);
            var file = ConfigFile.FromText(text, _home.ConfigPath);
            ConfigFile.Save(_home.ConfigPath, file);
            var next = ConfigFile.Load(_home.ConfigPath);
            if (next == previous)
                return;
            _config = next;
            await ApplyLiveAsync(previous, next).ConfigureAwait(false);
            NodeLog.ConfigApplied(_log, _home.ConfigPath);
        }
        finally
        {
            _configGate.Release();
        }
    }

    private async Task ApplyLiveAsync(NodeConfig previous, NodeConfig next)
    {
        foreach (var gone in previous.Folders.Where(f => next.Folders.All(n => n.Id != f.Id)))
            await _folders.StopAsync(gone.Id).ConfigureAwait(false);
        foreach (var folder in next.Folders)
        {
            var old = previous.Folders.FirstOrDefault(f => f.Id == folder.Id);
            if (old == folder)
                continue;
            if (old is not null && old with { Devices = folder.Devices } == folder && _folders.TryGetValue(folder.Id, out var runner))
            {
                runner.UpdatePeers([.. folder.Devices.Where(d => d != DeviceId)]);
                continue;
            }
            if (old is not null)
                await _folders.StopAsync(folder.Id).ConfigureAwait(false);
            else
                CreateMarker(folder);
            StartFolder(folder);
        }
        Peers?.ApplyConfig(next);
    }

    /// <summary>
    /// A folder a person just added gets its root and marker, as `lockstep folder add` gives it (never later: a marker
    /// that goes missing afterwards means an unmounted volume, and stops the folder). When that fails the folder starts
    /// anyway and reports the reason as its error.
    /// </summary>
    private void CreateMarker(FolderConfig folder)
    {
        try
        {
            FolderMarker.Create(folder.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogWarning("Folder {FolderId}: cannot create {Path}/.stfolder: {Error}", folder.Id, folder.Path, e.Message);
        }
    }

    /// <summary>An introducer's change, made from the connection that received it.</summary>
    private NodeConfig? ApplyConfigChange(Func<NodeConfig, NodeConfig?> change) => ChangeConfigAsync(change).GetAwaiter().GetResult();

    private void WriteRuntime(RuntimeInfo info)
    {
        var tmp = _home.RuntimePath + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(info, RuntimeJsonContext.Default.RuntimeInfo));
        File.Move(tmp, _home.RuntimePath, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (Api is not null)
            await Api.DisposeAsync();
        Api = null;
        if (Peers is not null)
            await Peers.DisposeAsync();
        await _folders.DisposeRunnersAsync();
        _metrics?.Dispose();
        _index?.Dispose();
        try
        {
            File.Delete(_home.RuntimePath);
        }
        catch (IOException)
        {
        }
        _lock?.Dispose();
    }
}
