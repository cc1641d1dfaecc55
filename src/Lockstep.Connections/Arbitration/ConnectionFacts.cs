using Lockstep.Connections.Tls;

namespace Lockstep.Connections.Arbitration;

/// <summary>
/// What the arbiter knows about one connection to a device: who dialed it, when it was established, and its
/// transport priority (lower is better, as in Syncthing; every TCP connection has <see cref="TcpPriority"/>).
/// </summary>
public readonly record struct ConnectionFacts(ConnectionDirection Direction, DateTimeOffset StartedAt, int Priority = ConnectionFacts.TcpPriority)
{
    /// <summary>Syncthing 1.19's priority for TCP (QUIC and relays rank worse).</summary>
    public const int TcpPriority = 10;
}
