using Lockstep.Connections.Addressing;
using Lockstep.Connections.Errors;
using Lockstep.Connections.Logging;
using Lockstep.Connections.Tls;
using Lockstep.Protocol.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lockstep.Connections.Dialing;

/// <summary>
/// Keeps trying to reach one device at its static addresses: each round tries them in the configured order until one
/// works, and rounds are spaced by a <see cref="ReconnectBackoff"/>. <see cref="RunAsync"/> ends with the connection,
/// with null as soon as <see cref="NotifyConnected"/> says the device reached us some other way (even mid-wait), or with
/// <see cref="OperationCanceledException"/> when cancelled. A connection returned by the loop counts as "connected"
/// until the owner calls <see cref="NotifyDisconnected"/>. The owner (the per-device supervisor) calls RunAsync again
/// after every disconnect; the backoff decides whether that redial waits.
/// </summary>
public sealed class DialLoop
{
    private readonly IPeerDialer _dialer;
    private readonly ReconnectBackoff _backoff;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private CancellationTokenSource _connectedSignal = new();
    private bool _connected;
    private int _running;

    /// <param name="addresses">The device's configured addresses; <c>dynamic</c> entries are skipped (discovery's job).</param>
    public DialLoop(DeviceId device, IEnumerable<string> addresses, IPeerDialer dialer, ReconnectBackoff backoff,
        TimeProvider? clock = null, ILogger? logger = null)
    {
        Device = device;
        var parsed = new List<BepAddress>();
        foreach (var text in addresses)
        {
            if (text.Trim().Equals("dynamic", StringComparison.OrdinalIgnoreCase))
                continue;
            parsed.Add(BepAddress.TryParse(text, out var address, out var error)
                ? address
                : throw ConnectionErrors.InvalidAddress(text, error));
        }
        Addresses = parsed;
        _dialer = dialer;
        _backoff = backoff;
        _clock = clock ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    public DeviceId Device { get; }

    /// <summary>The dialable addresses, in the order they are tried.</summary>
    public IReadOnlyList<BepAddress> Addresses { get; }

    /// <summary>After each dial, on the loop's task.</summary>
    public event EventHandler<DialAttempt>? Attempted;

    /// <summary>Before each non-zero wait between rounds, with the wait.</summary>
    public event EventHandler<TimeSpan>? Waiting;

    /// <summary>The device is connected by other means (it dialed us): stop dialing, now or at the next RunAsync.</summary>
    public void NotifyConnected()
    {
        lock (_lock)
        {
            _connected = true;
            _backoff.ConnectionEstablished();
            _connectedSignal.Cancel();
        }
    }

    /// <summary>The device's connection ended; the next <see cref="RunAsync"/> dials again.</summary>
    public void NotifyDisconnected()
    {
        lock (_lock)
        {
            _connected = false;
            _backoff.ConnectionClosed();
            // Not disposed: a RunAsync that has not yet noticed the cancellation may still be linked to it,
            // and a token source without a timer holds nothing that needs releasing.
            if (_connectedSignal.IsCancellationRequested)
                _connectedSignal = new CancellationTokenSource();
        }
    }

    public async Task<SecureConnection?> RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0)
            throw new InvalidOperationException($"the dial loop for {Device} is already running");
        try
        {
            CancellationToken connectedElsewhere;
            lock (_lock)
            {
                if (_connected)
                    return null;
                connectedElsewhere = _connectedSignal.Token;
            }
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connectedElsewhere);
            for (var round = 1; ; round++)
            {
                TimeSpan delay;
                lock (_lock)
                    delay = _backoff.NextDelay();
                if (delay > TimeSpan.Zero)
                {
                    ConnectionsLog.DialWaiting(_logger, Device.ToString(), delay.TotalMilliseconds);
                    Waiting?.Invoke(this, delay);
                    try
                    {
                        await Task.Delay(delay, _clock, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        return null;
                    }
                }
                foreach (var address in Addresses)
                {
                    SecureConnection connection;
                    try
                    {
                        connection = await _dialer.ConnectAsync(Device, address, stop.Token);
                    }
                    catch (ConnectionException e)
                    {
                        ConnectionsLog.DialFailed(_logger, Device.ToString(), address.ToString(), e.Message);
                        Attempted?.Invoke(this, new DialAttempt(Device, address, round, e));
                        continue;
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        return null;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // Anything unforeseen (a socket error the dialer did not classify) is one failed attempt:
                        // the loop must never die, or this device would stay unreachable until a restart.
                        var failure = new ConnectionException(ConnectionError.ConnectFailed, $"{address}: {e.Message}", null, e);
                        ConnectionsLog.DialFailed(_logger, Device.ToString(), address.ToString(), failure.Message);
                        Attempted?.Invoke(this, new DialAttempt(Device, address, round, failure));
                        continue;
                    }
                    lock (_lock)
                    {
                        _connected = true;
                        _backoff.ConnectionEstablished();
                    }
                    Attempted?.Invoke(this, new DialAttempt(Device, address, round, null));
                    return connection;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }
}
