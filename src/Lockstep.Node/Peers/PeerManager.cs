using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Lockstep.Connections.Arbitration;
using Lockstep.Connections.Dialing;
using Lockstep.Connections.Tls;
using Lockstep.Connections.Trust;
using Lockstep.Index;
using Lockstep.Node.Config;
using Lockstep.Node.Logging;
using Lockstep.Protocol;
using Lockstep.Protocol.Connection;
using Lockstep.Protocol.Handshake;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using Lockstep.Sync.Folders;
using Lockstep.Sync.Pulling;
using Microsoft.Extensions.Logging;

namespace Lockstep.Node.Peers;

/// <summary>
/// The node's peers: one TLS listener, one dial loop per device with static addresses, and at most one live
/// connection per device (both ends of a simultaneous dial keep the same one, ConnectionArbiter). Each
/// connection runs a Hello, then a <see cref="PeerConnection"/> whose messages a <see cref="PeerSession"/> handles.
/// </summary>
public sealed class PeerManager : IAsyncDisposable, IBlockRequester
{
    public const string ClientName = "lockstep";
    public static readonly string ClientVersion = "v" + (typeof(PeerManager).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    private volatile NodeConfig _config;
    private readonly SwappableTrustPolicy _trust;
    private TlsDialer? _dialer;
    private readonly DeviceId _me;
    private readonly IndexDatabase _index;
    private readonly IReadOnlyDictionary<string, FolderRunner> _runners;
    private readonly ILogger _log;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _clock;
    private readonly TlsOptions _tls;
    private readonly PeerAuthenticator _authenticator;
    private readonly ConcurrentDictionary<DeviceId, Live> _live = new();
    private readonly Dictionary<DeviceId, DialLoop> _dialers = new();
    private readonly CancellationTokenSource _stop = new();
    /// <summary>Every loop and connection still running (dialers, the accept loop, accepted connections): shutdown waits for them all.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, byte> _tasks = new();
    private TlsListener? _listener;
    private int _disposed;

    private sealed record Live(SecureConnection Secure, PeerConnection Connection, PeerSession Session, Hello Hello);

    public PeerManager(NodeConfig config, X509Certificate2 certificate, IndexDatabase index,
        IReadOnlyDictionary<string, FolderRunner> runners, ILoggerFactory loggers, TimeProvider? clock = null)
    {
        _config = config;
        _index = index;
        _runners = runners;
        _loggers = loggers;
        _log = loggers.CreateLogger("Lockstep.Peers");
        _clock = clock ?? TimeProvider.System;
        _tls = new TlsOptions(certificate) { Clock = _clock };
        _me = _tls.LocalId;
        Pending = new PendingDevices();
        Pending.Changed += OnPendingChanged;
        _trust = new SwappableTrustPolicy(new StaticTrustPolicy(config.Devices.Select(d => d.Id)));
        _authenticator = new PeerAuthenticator(_me, _trust, Pending, _clock);
    }

    public PendingDevices Pending { get; }

    /// <summary>Publishes PendingDevicesChanged (Syncthing's event) whenever a device is added to or removed from <see cref="Pending"/>.</summary>
    private void OnPendingChanged(object? sender, PendingDeviceChange change)
    {
        var id = change.Device.DeviceId.ToString();
        var data = change.Kind switch
        {
            PendingChangeKind.Added => new Lockstep.Contracts.Rest.PendingDevicesChangedData([new(id, "", change.Device.Address)], null),
            PendingChangeKind.Removed => new Lockstep.Contracts.Rest.PendingDevicesChangedData(null, [new(id)]),
            _ => null,
        };
        if (data is not null)
            Events?.Publish("PendingDevicesChanged", data, Lockstep.Contracts.ContractsJsonContext.Default.PendingDevicesChangedData);
    }

    /// <summary>Where connection and remote index events go (DeviceConnected, DeviceDisconnected, RemoteIndexUpdated).</summary>
    public Lockstep.Node.Events.EventLog? Events { get; init; }

    /// <summary>The address actually bound (port 0 resolved), e.g. tcp://127.0.0.1:41234.</summary>
    public string ListenAddress { get; private set; } = "";

    public IReadOnlyCollection<DeviceId> Connected => _live.Keys.ToList();

    private readonly ConcurrentDictionary<DeviceId, DateTimeOffset> _lastSeen = new();

    /// <summary>Now for a connected device; else when its last connection ended; null when never connected since start.</summary>
    public DateTimeOffset? LastSeen(DeviceId device) =>
        _live.ContainsKey(device) ? _clock.GetUtcNow() : _lastSeen.TryGetValue(device, out var at) ? at : null;

    /// <summary>The live connection's counters and facts for a device, or null.</summary>
    public PeerStatus? Status(DeviceId device) => _live.TryGetValue(device, out var l)
        ? new PeerStatus(device, l.Hello.DeviceName, l.Secure.RemoteEndPoint.ToString() ?? "", l.Secure.LocalEndPoint.ToString() ?? "", l.Secure.Type, l.Secure.Crypto,
            $"{l.Hello.ClientName} {l.Hello.ClientVersion}", l.Connection.BytesIn, l.Connection.BytesOut, l.Secure.StartedAt)
        : null;

    public bool IsConnected(DeviceId device) => _live.ContainsKey(device);

    /// <summary>A Request over the device's live connection; IOException when there is none or it ends first.</summary>
    public async Task<Response> RequestAsync(DeviceId device, Request request, CancellationToken cancellationToken)
    {
        if (!_live.TryGetValue(device, out var live))
            throw new IOException($"device {device.Short} is not connected");
        var answer = live.Connection.RequestAsync(request, cancellationToken);
        var closed = live.Connection.Closed;
        if (await Task.WhenAny(answer, closed).ConfigureAwait(false) == closed && !answer.IsCompleted)
        {
            _ = answer.ContinueWith(t => { if (t.IsCompletedSuccessfully) t.Result.Dispose(); }, TaskScheduler.Default);
            throw new IOException($"the connection to {device.Short} closed before it answered: {closed.Result}");
        }
        return await answer.ConfigureAwait(false);
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var tlsLog = _loggers.CreateLogger("Lockstep.Connections");
        _listener = new TlsListener(_tls, _authenticator, tlsLog) { OnRefused = OnRefusedAsync };
        await _listener.StartAsync(_config.Listen, cancellationToken).ConfigureAwait(false);
        ListenAddress = $"tcp://{_listener.LocalEndPoint}"; // set once bound: readers never see a half-started listener
        NodeLog.Listening(_log, ListenAddress);
        Track(Task.Run(() => AcceptLoopAsync(_stop.Token)));
        _dialer = new TlsDialer(_tls, _authenticator, tlsLog);
        foreach (var device in _config.Devices)
            StartDialing(device);
    }

    /// <summary>Raised when a device's introducer taught us devices: the node persists and applies the new config.</summary>
    public Func<Func<NodeConfig, NodeConfig?>, NodeConfig?>? Introduce { get; set; }

    private void StartDialing(DeviceConfig device)
    {
        if (_dialer is null || !device.Addresses.Any(a => a != "dynamic"))
            return;
        lock (_dialers)
        {
            if (_dialers.ContainsKey(device.Id))
                return;
            var loop = new DialLoop(device.Id, device.Addresses.Where(a => a != "dynamic"), _dialer, new ReconnectBackoff(clock: _clock), _clock,
                _loggers.CreateLogger("Lockstep.Connections"));
            _dialers[device.Id] = loop;
            var stop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            _dialStops[device.Id] = stop;
            Track(Task.Run(() => DialForeverAsync(loop, stop.Token)));
        }
    }

    private readonly ConcurrentDictionary<DeviceId, CancellationTokenSource> _dialStops = new();

    /// <summary>
    /// Takes a new configuration live. New devices are trusted and dialed; a removed device is no longer trusted, dialed
    /// or connected; a device whose own entry or shared folders changed is reconnected, so both ends exchange the new
    /// ClusterConfig (Syncthing does the same). Sessions started from now on see the new configuration.
    /// </summary>
    public void ApplyConfig(NodeConfig config)
    {
        var previous = _config;
        _config = config;
        _trust.Swap(new StaticTrustPolicy(config.Devices.Select(d => d.Id)));
        foreach (var old in previous.Devices.Where(d => config.Devices.All(n => n.Id != d.Id)))
            StopDialing(old.Id);
        foreach (var device in config.Devices)
        {
            Pending.Remove(device.Id); // accepted: no longer pending
            var old = previous.Devices.FirstOrDefault(d => d.Id == device.Id);
            if (old is not null && !old.Addresses.SequenceEqual(device.Addresses))
                StopDialing(device.Id); // dialed again below at its new addresses
            StartDialing(device);
        }
        foreach (var (device, live) in _live)
        {
            if (config.Devices.All(d => d.Id != device))
                _ = live.Connection.CloseAsync("the device was removed from the configuration");
            else if (SharingOf(previous, device) != SharingOf(config, device))
                _ = live.Connection.CloseAsync("the configuration changed");
        }
    }

    private void StopDialing(DeviceId device)
    {
        lock (_dialers)
        {
            _dialers.Remove(device);
            if (_dialStops.TryRemove(device, out var stop))
                stop.Cancel();
        }
    }

    /// <summary>What a device's connection depends on: its own entry and every folder shared with it.</summary>
    private static string SharingOf(NodeConfig config, DeviceId device) =>
        string.Join('\n', config.Devices.Where(d => d.Id == device).Select(d => d.ToString())
            .Concat(config.Folders.Where(f => f.Devices.Contains(device)).Select(f => f.ToString())));

    private void Track(Task task)
    {
        _tasks.TryAdd(task, 0);
        task.ContinueWith(t => _tasks.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            SecureConnection secure;
            try
            {
                secure = await _listener!.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            Track(Task.Run(() => RunConnectionAsync(secure, cancellationToken), CancellationToken.None));
        }
    }

    private async Task DialForeverAsync(DialLoop loop, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            SecureConnection? secure;
            try
            {
                secure = await loop.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (secure is not null)
                await RunConnectionAsync(secure, cancellationToken).ConfigureAwait(false);
            else
                await WaitForDisconnectAsync(loop.Device, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Connected by the peer's dial: wait until that connection ends before dialing again.</summary>
    private async Task WaitForDisconnectAsync(DeviceId device, CancellationToken cancellationToken)
    {
        if (_live.TryGetValue(device, out var live))
        {
            try
            {
                await live.Connection.Closed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        if (_dialers.TryGetValue(device, out var loop) && !_live.ContainsKey(device))
            loop.NotifyDisconnected();
    }

    private async Task RunConnectionAsync(SecureConnection secure, CancellationToken cancellationToken)
    {
        var remote = secure.RemoteId;
        Hello theirs;
        try
        {
            theirs = await HelloExchange.ExchangeAsync(secure.Stream, OurHello(known: true), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ProtocolException or IOException or OperationCanceledException)
        {
            NodeLog.HelloFailed(_log, remote.ToString(), secure.RemoteEndPoint.ToString() ?? "", e.Message);
            await secure.DisposeAsync().ConfigureAwait(false);
            NotifyDialerDisconnected(remote);
            return;
        }
        var device = _config.Devices.First(d => d.Id == remote);
        var session = new PeerSession(_config, _me, remote, _index, _runners, _log) { Introduce = Introduce, Events = Events };
        var connection = new PeerConnection(secure.Stream, remote, ClusterConfigFactory.For(_config, _me, remote, _index), session,
            new PeerConnectionOptions
            {
                Compression = ClusterConfigFactory.ToWire(device.Compression),
                Clock = _clock,
                Logger = _loggers.CreateLogger("Lockstep.Protocol"),
            });
        var live = new Live(secure, connection, session, theirs);
        if (!Admit(remote, live))
        {
            // Both ends decide the same way, so the other side drops this connection too.
            await connection.CloseAsync("replacing connection").ConfigureAwait(false);
            await secure.DisposeAsync().ConfigureAwait(false);
            return;
        }
        NodeLog.DeviceConnected(_log, remote.ToString(), secure.RemoteEndPoint.ToString() ?? "", secure.Type, secure.Crypto,
            theirs.ClientName, theirs.ClientVersion, theirs.DeviceName);
        Events?.Publish("DeviceConnected", new Lockstep.Contracts.Rest.DeviceConnectedData(remote.ToString(), secure.RemoteEndPoint.ToString() ?? "",
            secure.Type, theirs.ClientName, theirs.ClientVersion, theirs.DeviceName), Lockstep.Contracts.ContractsJsonContext.Default.DeviceConnectedData);
        if (_dialers.TryGetValue(remote, out var loop))
            loop.NotifyConnected();
        try
        {
            await connection.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _live.TryRemove(new KeyValuePair<DeviceId, Live>(remote, live));
            _lastSeen[remote] = _clock.GetUtcNow();
            var why = connection.Closed.IsCompletedSuccessfully ? connection.Closed.Result : "stopped";
            NodeLog.DeviceDisconnected(_log, remote.ToString(), why);
            Events?.Publish("DeviceDisconnected", new Lockstep.Contracts.Rest.DeviceDisconnectedData(remote.ToString(), why),
                Lockstep.Contracts.ContractsJsonContext.Default.DeviceDisconnectedData);
            await secure.DisposeAsync().ConfigureAwait(false);
            NotifyDialerDisconnected(remote);
        }
    }

    private void NotifyDialerDisconnected(DeviceId remote)
    {
        if (!_live.ContainsKey(remote) && _dialers.TryGetValue(remote, out var loop))
            loop.NotifyDisconnected();
    }

    /// <summary>One connection per device: returns false when the existing one stays.</summary>
    private bool Admit(DeviceId remote, Live candidate)
    {
        lock (_live)
        {
            if (_live.TryGetValue(remote, out var existing))
            {
                var decision = ConnectionArbiter.Decide(_me, remote, existing.Secure.Facts, candidate.Secure.Facts, _clock.GetUtcNow());
                if (decision.Keep == Keep.Existing)
                    return false;
                _ = existing.Connection.CloseAsync(decision.CloseReason);
            }
            _live[remote] = candidate;
            return true;
        }
    }

    /// <summary>An unknown device: send our Hello (with no name, as Syncthing does) so it can log why, then close.</summary>
    private async ValueTask OnRefusedAsync(RefusedConnection refused, CancellationToken cancellationToken)
    {
        NodeLog.DeviceRejected(_log, refused.DeviceId?.ToString() ?? "?", refused.RemoteEndPoint.ToString() ?? "", refused.Message);
        if (refused.Stream is null)
            return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await HelloExchange.WriteAsync(refused.Stream, OurHello(known: false), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private Hello OurHello(bool known) => new(known ? _config.Name : "", ClientName, ClientVersion);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        // Stop accepting first, so no peer reconnects to a node that is going away; then close what is live.
        _stop.Cancel();
        if (_listener is not null)
            await _listener.DisposeAsync().ConfigureAwait(false);
        foreach (var live in _live.Values)
            await live.Connection.CloseAsync("node shutting down").ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_tasks.Keys).WaitAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
        }
    }
}

/// <summary>A live connection as the CLI and REST API will show it (Syncthing's /rest/system/connections fields).</summary>
public sealed record PeerStatus(DeviceId Device, string DeviceName, string Address, string LocalAddress, string Type, string Crypto, string ClientVersion,
    long InBytesTotal, long OutBytesTotal, DateTimeOffset StartedAt);
