using System.Globalization;

namespace Lockstep.Node.Config;

/// <summary>Checks <c>host:port</c> endpoints (with IPv6 hosts in brackets) without resolving anything.</summary>
internal static class HostPort
{
    /// <summary>
    /// Null when <paramref name="text"/> is <c>host:port</c>; otherwise the problem, phrased to follow the value
    /// (e.g. "has no port"). Port 0 ("pick a free port") is allowed only for addresses we listen on.
    /// </summary>
    public static string? Check(string text, bool allowPortZero)
    {
        string host, port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0)
                return "opens an IPv6 bracket '[' without closing it";
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (!rest.StartsWith(':'))
                return "has no port after the IPv6 address";
            port = rest[1..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon < 0)
                return "has no port";
            host = text[..colon];
            port = text[(colon + 1)..];
            if (host.Contains(':'))
                return "looks like an IPv6 address without brackets";
        }
        if (host.Length == 0)
            return "has no host";
        if (!ValidHost(host, bracketed: text.StartsWith('[')))
            return $"has an invalid host '{host}'";
        if (port.Length == 0 || !port.All(char.IsAsciiDigit)
            || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return $"has an invalid port '{port}'";
        if (number > 65535 || (number == 0 && !allowPortZero))
            return $"has port {number}, outside {(allowPortZero ? 0 : 1)}–65535";
        return null;
    }

    // Lenient on purpose: underscores are not DNS but appear in container and compose service names.
    private static bool ValidHost(string host, bool bracketed) =>
        bracketed
            ? System.Net.IPAddress.TryParse(host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            : host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');
}
