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
    private readonly List<FolderRunner> _runners = new();
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

    public IReadOnlyList<FolderRunner> Runners => _runners;

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
        StartedAt = DateTimeOffset.UtcNow;
        var config = ConfigFile.Load(_home.ConfigPath);
        using var certificate = DeviceCertificate.LoadWithKey(_home.CertPath, _home.KeyPath);
        DeviceId = DeviceCertificate.IdOf(certificate);
        _index = IndexDatabase.Open(_home.IndexPath);

        var tasks = new List<Task>();
        foreach (var folder in config.Folders)
        {
            var runner = new FolderRunner(FolderSettingsFactory.From(folder, DeviceId), _index.Folder(folder.Id),
                _loggers.CreateLogger("Lockstep.Sync"));
            _runners.Add(runner);
            Lockstep.Node.Events.FolderEvents.Attach(Events, runner, _index, TimeProvider.System, Metrics);
            tasks.Add(Task.Run(() => FolderSupervisor.RunAsync(runner, _supervision, _log, TimeProvider.System, cancellationToken), CancellationToken.None));
        }
        _config = config;
        Peers = new PeerManager(config, certificate, _index, _runners.ToDictionary(r => r.FolderId), _loggers) { Introduce = ApplyConfigChange, Events = Events };
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
            foreach (var runner in _runners)
                runner.AttachPeers(Peers);
            try
            {
                Api = await Lockstep.Node.Api.ApiServer.StartAsync(this, config, _loggers, cancellationToken);
            }
            catch (IOException e)
            {
                throw new NodeStartException($"the REST API cannot listen on {config.Api.Address}: {e.Message}; set another 'api.address' in {_home.ConfigPath} " +
                                             "(or LOCKSTEP_API__ADDRESS), or stop the program that holds it", e);
            }
            WriteRuntime(new RuntimeInfo(Environment.ProcessId, StartedAt, Peers.ListenAddress, Api.Address));
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
        await Task.WhenAll(tasks);
        NodeLog.Stopped(_log, DeviceId.ToString());
    }

    private readonly Lock _configLock = new();
    private NodeConfig? _config;

    /// <summary>
    /// A change the node makes to its own configuration while running (devices an introducer taught it): written
    /// to config.yaml (applied to the file's own content, so environment overrides are never written back), then
    /// taken live by the peers and the folder runners. Returns the new configuration, or null when nothing changed.
    /// </summary>
    private NodeConfig? ApplyConfigChange(Func<NodeConfig, NodeConfig?> change)
    {
        lock (_configLock)
        {
            if (_config is null || change(_config) is not { } next)
                return null;
            var file = ConfigFile.LoadWithoutOverrides(_home.ConfigPath);
            ConfigFile.Save(_home.ConfigPath, change(file) ?? file);
            _config = next;
            Peers?.ApplyConfig(next);
            foreach (var runner in _runners)
            {
                if (next.Folders.FirstOrDefault(f => f.Id == runner.FolderId) is { } folder)
                    runner.UpdatePeers([.. folder.Devices.Where(d => d != DeviceId)]);
            }
            return next;
        }
    }

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
        foreach (var runner in _runners)
            await runner.DisposeAsync();
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
