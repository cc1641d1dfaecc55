namespace Lockstep.Connections.Errors;

/// <summary>Why a connection could not be made or was refused. One enum for dialing, listening and authentication.</summary>
public enum ConnectionError
{
    /// <summary>The address is not a dialable <c>tcp://HOST:PORT</c>.</summary>
    InvalidAddress,

    /// <summary>The listen address could not be bound (in use, not ours, no permission).</summary>
    ListenFailed,

    /// <summary>The host name did not resolve to an address of the wanted family.</summary>
    ResolveFailed,

    /// <summary>No TCP connection could be made (refused, unreachable, timed out).</summary>
    ConnectFailed,

    /// <summary>The TLS handshake did not finish within the handshake timeout.</summary>
    HandshakeTimedOut,

    /// <summary>The TLS handshake failed (not TLS, no common version or cipher, alert from the peer).</summary>
    HandshakeFailed,

    /// <summary>The peer presented no certificate, so it has no device ID.</summary>
    NoCertificate,

    /// <summary>The peer presented a certificate chain whose length is not exactly 1.</summary>
    CertificateCount,

    /// <summary>The peer is this device (NAT hairpinning, a wrong address, our own listener).</summary>
    ConnectedToSelf,

    /// <summary>We dialed one device and another answered.</summary>
    UnexpectedDevice,

    /// <summary>The device is not in our configuration; it is recorded as pending for a person to accept.</summary>
    UnknownDevice,

    /// <summary>The device is on our ignore list; it is refused without being recorded.</summary>
    IgnoredDevice,
}
