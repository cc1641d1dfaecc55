namespace Lockstep.Connections.Tls;

/// <summary>Who dialed: Outgoing when we did (we are the TLS client), Incoming when the peer did.</summary>
public enum ConnectionDirection
{
    Incoming,
    Outgoing,
}
