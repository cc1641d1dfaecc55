using System.Net;
using System.Security.Cryptography.X509Certificates;
using Lockstep.Connections.Errors;
using Lockstep.Connections.Trust;
using Lockstep.Protocol.Identity;
using Lockstep.Testing;

namespace Lockstep.Connections.Tests.Trust;

/// <summary>The post-handshake checks in Syncthing's order, as a decision on the presented certificates.</summary>
public sealed class PeerAuthenticatorTests
{
    private static readonly X509Certificate2 Ours = DeviceCertificate.Generate();
    private static readonly X509Certificate2 Known = DeviceCertificate.Generate();
    private static readonly X509Certificate2 Stranger = DeviceCertificate.Generate();
    private static readonly X509Certificate2 Ignored = DeviceCertificate.Generate();
    private static readonly EndPoint From = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 40001);

    private readonly FixedClock _clock = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly PendingDevices _pending = new();
    private readonly PeerAuthenticator _authenticator;

    public PeerAuthenticatorTests() =>
        _authenticator = new PeerAuthenticator(DeviceCertificate.IdOf(Ours),
            new StaticTrustPolicy([DeviceCertificate.IdOf(Known)], [DeviceCertificate.IdOf(Ignored)]), _pending, _clock);

    [Fact]
    public void A_configured_peer_is_accepted_with_its_id()
    {
        var verdict = _authenticator.Authenticate([Known], From);
        Assert.True(verdict.IsAccepted);
        Assert.Null(verdict.Error);
        Assert.Equal(DeviceCertificate.IdOf(Known), verdict.DeviceId);
    }

    [Fact]
    public void No_certificate_is_refused()
    {
        var verdict = _authenticator.Authenticate([], From);
        Assert.Equal(ConnectionError.NoCertificate, verdict.Error);
        Assert.Null(verdict.DeviceId);
    }

    [Fact]
    public void More_than_one_certificate_is_refused_with_the_count()
    {
        var verdict = _authenticator.Authenticate([Known, Stranger], From);
        Assert.Equal(ConnectionError.CertificateCount, verdict.Error);
        Assert.Equal("peer certificate list of length 2 != 1; a device presents exactly its own certificate", verdict.Message);
    }

    [Fact]
    public void Our_own_certificate_is_refused_even_when_we_dialed_ourselves()
    {
        var self = DeviceCertificate.IdOf(Ours);
        Assert.Equal(ConnectionError.ConnectedToSelf, _authenticator.Authenticate([Ours], From).Error);
        Assert.Equal(ConnectionError.ConnectedToSelf, _authenticator.Authenticate([Ours], From, dialed: self).Error);
    }

    [Fact]
    public void A_different_device_than_the_one_dialed_is_refused_even_if_configured()
    {
        var verdict = _authenticator.Authenticate([Known], From, dialed: DeviceCertificate.IdOf(Stranger));
        Assert.Equal(ConnectionError.UnexpectedDevice, verdict.Error);
        Assert.Equal(DeviceCertificate.IdOf(Known), verdict.DeviceId);
    }

    [Fact]
    public void An_unknown_device_that_dialed_us_is_refused_and_becomes_pending()
    {
        var verdict = _authenticator.Authenticate([Stranger], From);
        Assert.Equal(ConnectionError.UnknownDevice, verdict.Error);
        Assert.Equal(DeviceCertificate.IdOf(Stranger), verdict.DeviceId);
        var pending = Assert.Single(_pending.Snapshot());
        Assert.Equal(new PendingDevice(DeviceCertificate.IdOf(Stranger), "192.0.2.7:40001", _clock.Now, _clock.Now, 1), pending);
    }

    [Fact]
    public void An_unknown_device_we_dialed_is_refused_but_not_made_pending()
    {
        var stranger = DeviceCertificate.IdOf(Stranger);
        var verdict = _authenticator.Authenticate([Stranger], From, dialed: stranger);
        Assert.Equal(ConnectionError.UnknownDevice, verdict.Error);
        Assert.Empty(_pending.Snapshot());
    }

    [Fact]
    public void An_ignored_device_is_refused_quietly()
    {
        var verdict = _authenticator.Authenticate([Ignored], From);
        Assert.Equal(ConnectionError.IgnoredDevice, verdict.Error);
        Assert.Empty(_pending.Snapshot());
    }

    [Fact]
    public void An_ipv4_mapped_peer_address_is_recorded_as_ipv4()
    {
        _authenticator.Authenticate([Stranger], new IPEndPoint(IPAddress.Parse("::ffff:10.1.2.3"), 5));
        Assert.Equal("10.1.2.3:5", Assert.Single(_pending.Snapshot()).Address);
    }
}
