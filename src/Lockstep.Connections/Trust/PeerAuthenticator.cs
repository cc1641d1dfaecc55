using System.Net;
using System.Security.Cryptography.X509Certificates;
using Lockstep.Connections.Addressing;
using Lockstep.Connections.Errors;
using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Trust;

/// <summary>
/// Decides, after the TLS handshake, whether a peer may stay. TLS itself checks nothing (no chain, no expiry: the
/// certificates are self-signed), so this is where trust is decided, by device ID, in Syncthing's order
/// (bep-v1.md §1.2, lib/connections/service.go): exactly one certificate, not ourselves, the device we dialed,
/// then the trust policy. An unknown device that connected to us is recorded in <see cref="Pending"/>.
/// </summary>
public sealed class PeerAuthenticator
{
    private readonly ITrustPolicy _trust;
    private readonly TimeProvider _clock;

    public PeerAuthenticator(DeviceId self, ITrustPolicy trust, PendingDevices pending, TimeProvider? clock = null)
    {
        Self = self;
        _trust = trust;
        Pending = pending;
        _clock = clock ?? TimeProvider.System;
    }

    public DeviceId Self { get; }

    public PendingDevices Pending { get; }

    /// <summary>
    /// Judges the certificates a peer presented (leaf first, as sent). <paramref name="dialed"/> is the device we
    /// dialed, or null when the peer dialed us; only peers that dialed us are recorded as pending, because a device we
    /// dialed is one we chose.
    /// </summary>
    public PeerVerdict Authenticate(IReadOnlyList<X509Certificate2> presented, EndPoint remote, DeviceId? dialed = null)
    {
        if (presented.Count == 0)
            return PeerVerdict.Refuse(ConnectionError.NoCertificate, null, ConnectionErrors.NoCertificate());
        if (presented.Count != 1)
            return PeerVerdict.Refuse(ConnectionError.CertificateCount, null, ConnectionErrors.CertificateCount(presented.Count));

        var certificate = presented[0];
        var id = DeviceId.FromCertificate(certificate.RawData);
        if (id == Self)
            return PeerVerdict.Refuse(ConnectionError.ConnectedToSelf, id, ConnectionErrors.ConnectedToSelf(id));
        if (dialed is { } expected && expected != id)
            return PeerVerdict.Refuse(ConnectionError.UnexpectedDevice, id, ConnectionErrors.UnexpectedDevice(expected, id));

        switch (_trust.Classify(id, certificate))
        {
            case DeviceStanding.Configured:
                return PeerVerdict.Accept(id);
            case DeviceStanding.Ignored:
                return PeerVerdict.Refuse(ConnectionError.IgnoredDevice, id, ConnectionErrors.IgnoredDevice(id));
            default:
                if (dialed is null)
                    Pending.Record(id, AddressResolver.Normalize(remote).ToString() ?? "", _clock.GetUtcNow());
                return PeerVerdict.Refuse(ConnectionError.UnknownDevice, id, ConnectionErrors.UnknownDevice(id, recordedAsPending: dialed is null));
        }
    }
}
