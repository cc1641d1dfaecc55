using System.Security.Cryptography.X509Certificates;
using Lockstep.Connections.Tls;
using Lockstep.Connections.Trust;
using Lockstep.Protocol;
using Lockstep.Protocol.Framing;
using Lockstep.Protocol.Handshake;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;

namespace Lockstep.Testing;

/// <summary>
/// A peer that misbehaves on cue: a real TLS 1.3 client with its own certificate, after which the test
/// writes whatever bytes it likes and reads what the node answers, frame by frame.
/// </summary>
public sealed class ScriptedPeer : IAsyncDisposable
{
    private readonly SecureConnection _connection;
    private readonly BepMessageReader _reader;

    private ScriptedPeer(SecureConnection connection)
    {
        _connection = connection;
        _reader = new BepMessageReader(connection.Stream);
    }

    public DeviceId RemoteId => _connection.RemoteId;
    public Stream Stream => _connection.Stream;

    public static async Task<ScriptedPeer> ConnectAsync(X509Certificate2 certificate, DeviceId target, string address)
    {
        var options = new TlsOptions(certificate);
        var authenticator = new PeerAuthenticator(options.LocalId, new StaticTrustPolicy([target]), new PendingDevices());
        var connection = await new TlsDialer(options, authenticator).ConnectAsync(target, address);
        return new ScriptedPeer(connection);
    }

    public Task<Hello> HelloAsync(string name = "scripted") =>
        HelloExchange.ExchangeAsync(Stream, new Hello(name, "scripted-peer", "v0"));

    public async Task SendRawAsync(byte[] bytes)
    {
        await Stream.WriteAsync(bytes);
        await Stream.FlushAsync();
    }

    public Task SendAsync(BepMessage message, CompressionMode compression = CompressionMode.Never) =>
        SendRawAsync(MessageCodec.Encode(message, compression, ProtocolLimits.Default));

    /// <summary>Ends what we send (TLS close_notify), leaving the read side open.</summary>
    public Task FinishWritingAsync() => _connection.Stream.ShutdownAsync();

    /// <summary>The next message from the node, or null when it closed the connection.</summary>
    public Task<BepMessage?> ReadAsync(TimeSpan? timeout = null) => _reader.ReadAsync(timeout);

    /// <summary>Reads until the node sends Close (returned) or hangs up (null).</summary>
    public async Task<Close?> ReadUntilClosedAsync()
    {
        while (true)
        {
            var message = await ReadAsync();
            if (message is null)
                return null;
            if (message is Close close)
                return close;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
