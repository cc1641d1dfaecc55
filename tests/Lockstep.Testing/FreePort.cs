using System.Net;
using System.Net.Sockets;

namespace Lockstep.Testing;

/// <summary>A TCP port on 127.0.0.1 that was free a moment ago (for configs that must name a port up front).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
