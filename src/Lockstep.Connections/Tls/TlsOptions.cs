using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Tls;

/// <summary>
/// How we speak TLS to peers, as Syncthing 1.19 does (bep-v1.md §1.2): TLS 1.3 only, ALPN <c>bep/1.0</c>, our
/// self-signed leaf and nothing else, a client certificate required from peers that dial us, and no chain, expiry or
/// revocation checks: trust is decided by device ID after the handshake (<see cref="Trust.PeerAuthenticator"/>).
/// Validated when built, frozen afterwards; one instance serves every listener and dialer of a node.
/// </summary>
public sealed class TlsOptions
{
    /// <summary>The ALPN protocol name of BEP v1.</summary>
    public const string BepProtocolName = "bep/1.0";

    /// <summary>Syncthing's <c>tlsHandshakeTimeout</c>.</summary>
    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    // Syncthing's certificate name; sent as SNI only, since the peer ignores it and we verify nothing by name.
    private const string TargetHost = DeviceCertificate.CommonName;

    private static readonly List<SslApplicationProtocol> Alpn = [new(BepProtocolName)];

    private readonly SslStreamCertificateContext _context;

    /// <param name="certificate">Our device certificate with its private key.</param>
    public TlsOptions(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
            throw new ArgumentException("the device certificate has no private key, so it cannot be used for TLS", nameof(certificate));
        Certificate = certificate;
        LocalId = DeviceCertificate.IdOf(certificate);
        // offline: never fetch intermediates or revocation data for a self-signed leaf; the context then holds
        // no intermediates, so the peer receives exactly one certificate, which Syncthing insists on.
        _context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Our device ID, the SHA-256 of <see cref="Certificate"/>.</summary>
    public DeviceId LocalId { get; }

    /// <summary>How long a TLS handshake may take, counted from the TCP connection. Defaults to 10 s.</summary>
    public TimeSpan HandshakeTimeout
    {
        get;
        init => field = value > TimeSpan.Zero ? value
            : throw new ArgumentOutOfRangeException(nameof(HandshakeTimeout), value, "the handshake timeout must be positive");
    } = DefaultHandshakeTimeout;

    /// <summary>How long a TCP connect may take when dialing. Defaults to 10 s.</summary>
    public TimeSpan ConnectTimeout
    {
        get;
        init => field = value > TimeSpan.Zero ? value
            : throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), value, "the connect timeout must be positive");
    } = DefaultConnectTimeout;

    /// <summary>The clock for timeouts and connection start times.</summary>
    public TimeProvider Clock { get; init => field = value ?? throw new ArgumentNullException(nameof(Clock)); } = TimeProvider.System;

    internal SslServerAuthenticationOptions ForServer(PresentedCertificates presented) => new()
    {
        ServerCertificateContext = _context,
        // Syncthing only requests (RequestClientCert) and drops certificate-less peers afterwards; requiring it
        // fails those peers during the handshake instead, with the same outcome for a well-behaved peer.
        ClientCertificateRequired = true,
        EnabledSslProtocols = SslProtocols.Tls13,
        ApplicationProtocols = Alpn,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        // Syncthing disables session tickets; a resumed session would also skip the certificate we identify peers by.
        AllowTlsResume = false,
        RemoteCertificateValidationCallback = presented.Accept,
    };

    internal SslClientAuthenticationOptions ForClient(PresentedCertificates presented) => new()
    {
        TargetHost = TargetHost,
        ClientCertificateContext = _context,
        EnabledSslProtocols = SslProtocols.Tls13,
        ApplicationProtocols = Alpn,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        AllowTlsResume = false,
        RemoteCertificateValidationCallback = presented.Accept,
    };
}
