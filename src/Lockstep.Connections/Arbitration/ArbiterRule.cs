namespace Lockstep.Connections.Arbitration;

/// <summary>Which rule of <see cref="ConnectionArbiter.Decide"/> made the decision, in the order they are tried.</summary>
public enum ArbiterRule
{
    /// <summary>The new connection has a better (lower) priority. Syncthing's rule.</summary>
    BetterPriority,

    /// <summary>The existing connection is older than 10 s, so the peer, which only dials when it has no connection, must have lost it. Syncthing's rule.</summary>
    ExistingStale,

    /// <summary>Both are young and the new one has a worse priority. Syncthing's rule.</summary>
    WorsePriority,

    /// <summary>Both are young and the same device dialed both: it dialed again because it lost the first, so the newer one is the live one.</summary>
    SameDialerNewer,

    /// <summary>Both are young and each device dialed one (a simultaneous dial): keep the one the lower device ID dialed.</summary>
    LowerDeviceIdDialed,
}
