using System.IO.Pipelines;
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
    private readonly PipeReader _reader;

    private ScriptedPeer(SecureConnection connection)
    {
        _connection = connection;
        _reader = PipeReader.Create(connection.Stream, new StreamPipeReaderOptions(leaveOpen: true));
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
    public async Task<BepMessage?> ReadAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(cts.Token);
                var buffer = result.Buffer;
                if (FrameReader.TryRead(ref buffer, ProtocolLimits.Default, out var frame))
                {
                    var message = MessageCodec.Decode(frame, ProtocolLimits.Default);
                    _reader.AdvanceTo(buffer.Start);
                    if (message is not null)
                        return message;
                    continue;
                }
                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                    return null;
            }
        }
        catch (IOException)
        {
            return null; // reset by the node: closed
        }
    }

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
        await _reader.CompleteAsync();
        await _connection.DisposeAsync();
    }
}
