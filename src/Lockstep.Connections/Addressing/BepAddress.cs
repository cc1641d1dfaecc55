using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Lockstep.Connections.Addressing;

/// <summary>
/// A listen or dial address in Syncthing's syntax: <c>tcp://HOST:PORT</c>, <c>tcp4://…</c>, <c>tcp6://…</c>,
/// IPv6 literals in brackets (<c>tcp://[::1]:22000</c>). A missing port means 22000, as in Syncthing.
/// An empty host (<c>tcp://:22000</c>) means every interface and is only good for listening.
/// </summary>
public readonly record struct BepAddress
{
    public const int DefaultPort = 22000;

    private BepAddress(AddressScheme scheme, string host, int port)
    {
        Scheme = scheme;
        Host = host;
        Port = port;
    }

    public AddressScheme Scheme { get; }

    /// <summary>A DNS name or an IP literal without brackets; empty for "every interface".</summary>
    public string Host { get; }

    /// <summary>0 to 65535; 0 asks the OS for a free port when listening and cannot be dialed.</summary>
    public int Port { get; }

    /// <summary>The address family the scheme allows; <see cref="AddressFamily.Unspecified"/> for plain tcp.</summary>
    public AddressFamily Family => Scheme switch
    {
        AddressScheme.Tcp4 => AddressFamily.InterNetwork,
        AddressScheme.Tcp6 => AddressFamily.InterNetworkV6,
        _ => AddressFamily.Unspecified,
    };

    /// <summary>The address of an endpoint we bound or connected to, e.g. for runtime.json or a pending device.</summary>
    public static BepAddress FromEndPoint(IPEndPoint endPoint) =>
        new(AddressScheme.Tcp, endPoint.Address.ToString(), endPoint.Port);

    /// <summary>Parses an address; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static BepAddress Parse(string text) =>
        TryParse(text, out var address, out var error) ? address : throw new FormatException(error);

    public static bool TryParse([NotNullWhen(true)] string? text, out BepAddress address, out string error)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(text))
            return Fail("the address is empty; write it as tcp://HOST:PORT", out error);
        var s = text.Trim();
        if (s.Equals("dynamic", StringComparison.OrdinalIgnoreCase))
            return Fail("'dynamic' means \"find this device by discovery\"; it is not an address that can be dialed", out error);
        var sep = s.IndexOf("://", StringComparison.Ordinal);
        if (sep < 0)
            return Fail($"'{s}' has no scheme; write it as tcp://HOST:PORT", out error);
        AddressScheme scheme;
        switch (s[..sep].ToLowerInvariant())
        {
            case "tcp": scheme = AddressScheme.Tcp; break;
            case "tcp4": scheme = AddressScheme.Tcp4; break;
            case "tcp6": scheme = AddressScheme.Tcp6; break;
            default:
                return Fail($"the scheme '{s[..sep]}' is not supported; use tcp://, tcp4:// or tcp6://", out error);
        }
        var authority = s[(sep + 3)..];
        if (authority.EndsWith('/'))
            authority = authority[..^1];
        if (authority.IndexOfAny(['/', '?', '#', '@']) >= 0)
            return Fail($"'{s}' has more than HOST:PORT after the scheme; only tcp://HOST:PORT is accepted", out error);

        string host;
        string? portText;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 0)
                return Fail($"'{s}' opens '[' but never closes it", out error);
            host = authority[1..close];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                return Fail($"'{host}' in brackets is not an IPv6 address", out error);
            var rest = authority[(close + 1)..];
            if (rest.Length > 0 && rest[0] != ':')
                return Fail($"'{s}' has '{rest}' after the IPv6 address; expected :PORT", out error);
            portText = rest.Length > 0 ? rest[1..] : null;
        }
        else
        {
            var colons = authority.Count(c => c == ':');
            if (colons > 1)
                return Fail($"'{s}': an IPv6 address must be written in brackets, e.g. tcp://[::1]:22000", out error);
            var colon = authority.IndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? null : authority[(colon + 1)..];
            if (host.Length > 0 && Uri.CheckHostName(host) is UriHostNameType.Unknown)
                return Fail($"'{host}' is neither a host name nor an IP address", out error);
        }

        var port = DefaultPort;
        if (portText is not null
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
            return Fail($"the port '{portText}' is not a number from 0 to 65535", out error);

        if (IPAddress.TryParse(host, out var ip))
        {
            if (scheme == AddressScheme.Tcp4 && ip.AddressFamily != AddressFamily.InterNetwork)
                return Fail($"tcp4:// needs an IPv4 address, not {host}", out error);
            if (scheme == AddressScheme.Tcp6 && ip.AddressFamily != AddressFamily.InterNetworkV6)
                return Fail($"tcp6:// needs an IPv6 address, not {host}", out error);
        }

        address = new BepAddress(scheme, host, port);
        error = "";
        return true;
    }

    public override string ToString()
    {
        var scheme = Scheme switch { AddressScheme.Tcp4 => "tcp4", AddressScheme.Tcp6 => "tcp6", _ => "tcp" };
        var host = Host.Contains(':') ? $"[{Host}]" : Host;
        return $"{scheme}://{host}:{Port}";
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
