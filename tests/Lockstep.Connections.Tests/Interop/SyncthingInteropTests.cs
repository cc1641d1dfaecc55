using System.Buffers.Binary;
using System.Security.Authentication;
using Lockstep.Connections.Errors;
using Lockstep.Connections.Tests.Support;
using Lockstep.Connections.Tls;
using Lockstep.Protocol.Identity;
using Lockstep.Testing;
using Xunit.Abstractions;

namespace Lockstep.Connections.Tests.Interop;

/// <summary>
/// Our TLS layer against the real Syncthing 1.19 (Debian's /usr/bin/syncthing), both directions. After the handshake,
/// Syncthing checks our certificate list (exactly one) and that we are not itself, and only then writes its Hello;
/// so reading Hello's magic proves it accepted our side of TLS too, not just that the handshake finished.
/// Syncthing runs through the shared <see cref="SyncthingNode"/> harness, whose StartAsync returns once its BEP listener is bound.
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
        // "dynamic": with discovery off Syncthing never dials us, so the only connection is ours.
        await using var st = await SyncthingNode.StartAsync(Options(new SyncthingDevice(us.Id.ToString()) { Name = "lockstep" }));
        var stId = DeviceId.Parse(st.DeviceId);
        us.Trust(stId);

        await using var connection = await DialAsync(us, stId, st);

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
        // Syncthing's key first, so we trust it before its first dial (a refused dial waits for the next redial).
        var home = new TempDirectory("st-interop");
        var stId = DeviceId.Parse(await Syncthing.GenerateAsync(home.Path));
        us.Trust(stId);
        await using var st = await SyncthingNode.StartAsync(Options(SyncthingDevice.At(us.Id.ToString(), us.Address) with { Name = "lockstep" })
            with { Home = home.Path, DeleteHomeOnDispose = true });
        Assert.Equal(stId.ToString(), st.DeviceId);

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

    private static SyncthingOptions Options(SyncthingDevice us) => new() { Name = "st", Devices = [us] };

    private static async Task<SecureConnection> DialAsync(TestPeer us, DeviceId stId, SyncthingNode st)
    {
        using var deadline = new CancellationTokenSource(Wait);
        try
        {
            return await us.Dialer.ConnectAsync(stId, st.ListenAddress, deadline.Token);
        }
        catch (Exception e) when (e is ConnectionException or OperationCanceledException)
        {
            throw new InvalidOperationException($"dialing {st} failed: {e.Message}\n--- syncthing log\n{st.LogTail()}", e);
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
