using System.Net;
using Lockstep.Connections.Addressing;
using Lockstep.Connections.Trust;
using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Errors;

/// <summary>Every message of this project in one place, so log lines, exceptions and REST errors say the same thing.</summary>
internal static class ConnectionErrors
{
    // Wording of the refusals follows Syncthing's log lines (lib/connections/service.go) where it has one.
    public static string NoCertificate() => "the peer presented no certificate, so it has no device ID";

    public static string CertificateCount(int count) =>
        $"peer certificate list of length {count} != 1; a device presents exactly its own certificate";

    public static string ConnectedToSelf(DeviceId self) => $"connected to myself ({self}); the address points back at this device";

    public static string UnexpectedDevice(DeviceId expected, DeviceId actual) =>
        $"unexpected device id: dialed {expected} but {actual} answered";

    public static string UnknownDevice(DeviceId id, bool recordedAsPending) => recordedAsPending
        ? $"device {id} is not configured; it was recorded as pending for a person to accept"
        : $"device {id} is not configured";

    public static string IgnoredDevice(DeviceId id) => $"device {id} is ignored";

    public static string HandshakeTimedOut(TimeSpan timeout) =>
        $"the TLS handshake did not finish within {timeout.TotalSeconds:0.###} s";

    public static string HandshakeFailed(Exception e) => $"the TLS handshake failed: {Describe(e)}";

    public static ConnectionException InvalidAddress(string? text, string problem) =>
        new(ConnectionError.InvalidAddress, $"cannot dial '{text}': {problem}");

    public static ConnectionException ResolveFailed(BepAddress address, Exception? inner) =>
        new(ConnectionError.ResolveFailed,
            $"cannot dial {address}: the host '{address.Host}' did not resolve to an {FamilyName(address)} address" +
            (inner is null ? "" : $" ({inner.Message})"), inner: inner);

    public static ConnectionException ConnectFailed(BepAddress address, IPAddress? ip, Exception inner) =>
        new(ConnectionError.ConnectFailed,
            $"cannot connect to {address}{(ip is null ? "" : $" ({ip})")}: {Describe(inner)}", inner: inner);

    public static ConnectionException ConnectTimedOut(BepAddress address, TimeSpan timeout) =>
        new(ConnectionError.ConnectFailed, $"cannot connect to {address}: no answer within {timeout.TotalSeconds:0.###} s");

    public static ConnectionException InvalidListenAddress(string? text, string problem) =>
        new(ConnectionError.InvalidAddress, $"cannot listen on '{text}': {problem}");

    public static ConnectionException ListenFailed(BepAddress address, Exception inner) =>
        new(ConnectionError.ListenFailed, $"cannot listen on {address}: {Describe(inner)}", inner: inner);

    /// <summary>A dial whose handshake failed or whose peer was refused.</summary>
    public static ConnectionException NotAccepted(BepAddress address, PeerVerdict verdict) =>
        new(verdict.Error ?? ConnectionError.HandshakeFailed, $"{address}: {verdict.Message}", verdict.DeviceId);

    private static string FamilyName(BepAddress address) => address.Scheme switch
    {
        AddressScheme.Tcp4 => "IPv4",
        AddressScheme.Tcp6 => "IPv6",
        _ => "IP",
    };

    // SslStream wraps the useful part (the alert, the socket error) one or two levels down.
    private static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null && parts.Count < 3; x = x.InnerException)
            if (!parts.Contains(x.Message))
                parts.Add(x.Message);
        return string.Join(": ", parts);
    }
}
