using System.Net;
using System.Net.Sockets;

namespace Lockstep.Connections.Tests.Support;

internal static class Ports
{
    /// <summary>A bound but not listening socket: connecting to its port is refused for as long as it lives.</summary>
    public static Socket Refusing()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    public static int PortOf(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;
}
