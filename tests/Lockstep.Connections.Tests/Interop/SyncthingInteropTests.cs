using System.Buffers.Binary;
using System.Security.Authentication;
using Lockstep.Connections.Errors;
using Lockstep.Connections.Tests.Support;
using Lockstep.Connections.Tls;
using Lockstep.Protocol.Identity;
using Xunit.Abstractions;

namespace Lockstep.Connections.Tests.Interop;

/// <summary>
/// Our TLS layer against the real Syncthing 1.19 (Debian's /usr/bin/syncthing), both directions. After the handshake,
/// Syncthing checks our certificate list (exactly one) and that we are not itself, and only then writes its Hello;
/// so reading Hello's magic proves it accepted our side of TLS too, not just that the handshake finished.
/// </summary>
public sealed class SyncthingInteropTests(ITestOutputHelper output)
{
    // bep-v1.md §2: the Hello frame starts with this big-endian magic.
    private const uint HelloMagic = 0x2EA7D90B;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Our_dialer_completes_tls13_with_syncthing_and_identifies_it()
    {
        await using var us = TestPeer.Create();
        await using var st = await SyncthingProcess.StartAsync(us.Id, ourAddress: "dynamic");
        var stId = DeviceId.Parse(st.DeviceId);
        us.Trust(stId);

        await using var connection = await DialUntilListeningAsync(us, stId, $"tcp://127.0.0.1:{st.ListenPort}", st);

        Assert.Equal(stId, connection.RemoteId);
        Assert.Equal(st.DeviceId, connection.RemoteId.ToString());
        Assert.Equal("bep/1.0", connection.ApplicationProtocol);
        Assert.Equal(SslProtocols.Tls13, connection.Stream.SslProtocol);
        Assert.StartsWith("TLS1.3-TLS_", connection.Crypto);
        Assert.Equal(ConnectionDirection.Outgoing, connection.Direction);
        Assert.Equal(HelloMagic, await ReadMagicAsync(connection));
        output.WriteLine($"we dialed syncthing {st.DeviceId}: {connection.Crypto}, handshake {connection.HandshakeDuration.TotalMilliseconds:F1} ms");
    }

    [Fact]
    public async Task Syncthing_dials_our_listener_and_is_identified()
    {
        await using var us = TestPeer.Create();
        await us.ListenAsync();
        await using var st = await SyncthingProcess.StartAsync(us.Id, ourAddress: us.Address);
        var stId = DeviceId.Parse(st.DeviceId);
        us.Trust(stId);

        SecureConnection connection;
        try
        {
            connection = await us.AcceptAsync(Wait);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n--- syncthing log\n{st.Log}", e);
        }
        await using var _ = connection;

        Assert.Equal(stId, connection.RemoteId);
        Assert.Equal("bep/1.0", connection.ApplicationProtocol);
        Assert.Equal(SslProtocols.Tls13, connection.Stream.SslProtocol);
        Assert.StartsWith("TLS1.3-TLS_", connection.Crypto);
        Assert.Equal(ConnectionDirection.Incoming, connection.Direction);
        Assert.Equal(HelloMagic, await ReadMagicAsync(connection));
        output.WriteLine($"syncthing {st.DeviceId} dialed us: {connection.Crypto}, handshake {connection.HandshakeDuration.TotalMilliseconds:F1} ms");
    }

    /// <summary>Syncthing needs a moment to open its listener; dial until it answers (connection refused until then).</summary>
    private static async Task<SecureConnection> DialUntilListeningAsync(TestPeer us, DeviceId stId, string address, SyncthingProcess st)
    {
        using var deadline = new CancellationTokenSource(Wait);
        while (true)
        {
            try
            {
                return await us.Dialer.ConnectAsync(stId, address, deadline.Token);
            }
            catch (ConnectionException e) when (e.Error == ConnectionError.ConnectFailed && !st.HasExited)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"syncthing never listened on {address}\n--- syncthing log\n{st.Log}", e);
                }
            }
            catch (ConnectionException e)
            {
                throw new InvalidOperationException($"dialing syncthing failed: {e.Message}\n--- syncthing log\n{st.Log}", e);
            }
        }
    }

    private static async Task<uint> ReadMagicAsync(SecureConnection connection)
    {
        var buffer = new byte[4];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await connection.Stream.ReadExactlyAsync(buffer, cts.Token);
        return BinaryPrimitives.ReadUInt32BigEndian(buffer);
    }
}
