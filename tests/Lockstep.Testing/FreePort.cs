using System.Net;
using System.Net.Sockets;

namespace Lockstep.Testing;

/// <summary>
/// A TCP port on 127.0.0.1 that was free a moment ago (for configs that must name a port up front). Ports come from
/// below the kernel's ephemeral range (32768 and up here): a port the kernel handed out for "any free port" could be
/// given again, before the test binds it, as the local port of some other test's outgoing connection, and the node
/// under test then fails to listen ("Address already in use"). Each process starts at a random point of the range and
/// walks it, so parallel test processes rarely meet.
/// </summary>
public static class FreePort
{
    private const int Low = 20000, Span = 12000; // 20000–31999
    private static int _next = Random.Shared.Next(Span);

    public static int Next()
    {
        for (int attempt = 0; attempt < Span; attempt++)
        {
            int port = Low + (int)((uint)Interlocked.Increment(ref _next) % Span);
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // in use: the next one
            }
        }
        throw new InvalidOperationException($"no free TCP port on 127.0.0.1 between {Low} and {Low + Span - 1}");
    }
}
