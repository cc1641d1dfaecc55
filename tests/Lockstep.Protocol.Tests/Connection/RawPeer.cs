using Lockstep.Protocol.Framing;
using Lockstep.Protocol.Messages;
using Lockstep.Testing;

namespace Lockstep.Protocol.Tests.Connection;

/// <summary>The far end of a connection under test, driven frame by frame (and byte by byte when misbehaving).</summary>
internal sealed class RawPeer(DuplexPipeStream stream) : IAsyncDisposable
{
    private readonly BepMessageReader _reader = new(stream);

    public Task SendAsync(BepMessage message) => SendRawAsync(MessageCodec.Encode(message, CompressionMode.Never, ProtocolLimits.Default));

    public async Task SendRawAsync(byte[] bytes)
    {
        await stream.WriteAsync(bytes);
        await stream.FlushAsync();
    }

    /// <summary>The next message, or null when the stream ended.</summary>
    public Task<BepMessage?> ReadAsync() => _reader.ReadAsync(TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync();
        await stream.DisposeAsync();
    }
}
