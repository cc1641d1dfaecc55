using System.Net;
using System.Net.Sockets;
using Lockstep.Connections.Errors;

namespace Lockstep.Connections.Addressing;

/// <summary>Turns a <see cref="BepAddress"/> into IP addresses, honouring tcp4/tcp6.</summary>
internal static class AddressResolver
{
    public static async Task<IPAddress[]> ResolveAsync(BepAddress address, CancellationToken cancellationToken = default)
    {
        if (IPAddress.TryParse(address.Host, out var literal))
            return [literal];
        IPAddress[] found;
        try
        {
            found = await Dns.GetHostAddressesAsync(address.Host, address.Family, cancellationToken);
        }
        catch (SocketException e)
        {
            throw ConnectionErrors.ResolveFailed(address, e);
        }
        if (address.Family != AddressFamily.Unspecified)
            found = [.. found.Where(a => a.AddressFamily == address.Family)];
        return found.Length > 0 ? found : throw ConnectionErrors.ResolveFailed(address, null);
    }

    /// <summary>Where to bind: every interface for an empty host (dual-stack for plain tcp), else the first resolved address.</summary>
    public static async Task<IPEndPoint> ResolveListenAsync(BepAddress address, CancellationToken cancellationToken = default)
    {
        if (address.Host.Length == 0)
        {
            var any = address.Scheme switch
            {
                AddressScheme.Tcp4 => IPAddress.Any,
                AddressScheme.Tcp6 => IPAddress.IPv6Any,
                _ => Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any,
            };
            return new IPEndPoint(any, address.Port);
        }
        var ips = await ResolveAsync(address, cancellationToken);
        return new IPEndPoint(ips[0], address.Port);
    }

    /// <summary>Dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d; show them as Syncthing does, a.b.c.d.</summary>
    public static EndPoint Normalize(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint { Address.IsIPv4MappedToIPv6: true } ip => new IPEndPoint(ip.Address.MapToIPv4(), ip.Port),
        null => new IPEndPoint(IPAddress.None, 0),
        _ => endPoint,
    };
}
