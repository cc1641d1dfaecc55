namespace Lockstep.Connections.Dialing;

/// <summary>
/// How long to wait before the next dial round for one device. The sequence after a reset is
/// 0, Initial, Initial·Factor, Initial·Factor², … capped at Max, each jittered by ±Jitter and then clamped to Max.
/// Success alone does not reset it: a peer that accepts and drops us at once must not be redialled at full speed.
/// Only a connection that lived longer than <see cref="BackoffPolicy.ResetAfter"/> resets it.
/// Not thread-safe: it belongs to one dial loop.
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly Random _random;
    private readonly TimeProvider _clock;
    private DateTimeOffset? _connectedAt;

    public ReconnectBackoff(BackoffPolicy? policy = null, Random? random = null, TimeProvider? clock = null)
    {
        Policy = policy ?? BackoffPolicy.Default;
        if (Policy.Max < Policy.Initial)
            throw new ArgumentException($"the backoff maximum {Policy.Max} is below its initial delay {Policy.Initial}", nameof(policy));
        _random = random ?? Random.Shared;
        _clock = clock ?? TimeProvider.System;
    }

    public BackoffPolicy Policy { get; }

    /// <summary>Delays handed out since the last reset.</summary>
    public int Attempt { get; private set; }

    /// <summary>The wait before the next round; advances the sequence.</summary>
    public TimeSpan NextDelay()
    {
        var attempt = Attempt++;
        if (attempt == 0)
            return TimeSpan.Zero;
        // In seconds as double: Factor^attempt overflows TimeSpan long before it overflows a double.
        var nominal = Math.Min(Policy.Initial.TotalSeconds * Math.Pow(Policy.Factor, attempt - 1), Policy.Max.TotalSeconds);
        var jittered = nominal * (1 + Policy.Jitter * (2 * _random.NextDouble() - 1));
        return TimeSpan.FromSeconds(Math.Min(jittered, Policy.Max.TotalSeconds));
    }

    public void Reset()
    {
        Attempt = 0;
        _connectedAt = null;
    }

    /// <summary>A connection to the device is up (dialed or accepted).</summary>
    public void ConnectionEstablished() => _connectedAt = _clock.GetUtcNow();

    /// <summary>The connection is gone; resets the backoff if it lived longer than <see cref="BackoffPolicy.ResetAfter"/>.</summary>
    public void ConnectionClosed()
    {
        if (_connectedAt is { } at && _clock.GetUtcNow() - at > Policy.ResetAfter)
            Reset();
        _connectedAt = null;
    }
}
