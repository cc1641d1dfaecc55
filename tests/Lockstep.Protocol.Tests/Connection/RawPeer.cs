using System.Buffers;
using System.IO.Pipelines;
using Lockstep.Protocol.Framing;
using Lockstep.Protocol.Messages;
using Lockstep.Testing;

namespace Lockstep.Protocol.Tests.Connection;

/// <summary>The far end of a connection under test, driven frame by frame (and byte by byte when misbehaving).</summary>
internal sealed class RawPeer(DuplexPipeStream stream) : IAsyncDisposable
{
    private readonly PipeReader _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));

    public Task SendAsync(BepMessage message) => SendRawAsync(MessageCodec.Encode(message, CompressionMode.Never, ProtocolLimits.Default));

    public async Task SendRawAsync(byte[] bytes)
    {
        await stream.WriteAsync(bytes);
        await stream.FlushAsync();
    }

    /// <summary>The next message, or null when the stream ended.</summary>
    public async Task<BepMessage?> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var result = await _reader.ReadAsync(timeout.Token);
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

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        await stream.DisposeAsync();
    }
}
