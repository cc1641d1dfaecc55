using System.IO.Pipelines;
using Lockstep.Protocol;
using Lockstep.Protocol.Framing;
using Lockstep.Protocol.Messages;

namespace Lockstep.Testing;

/// <summary>Reads what a node under test sends, one decoded BEP message at a time (skipping unknown types).</summary>
public sealed class BepMessageReader(Stream stream) : IAsyncDisposable
{
    private readonly PipeReader _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));

    /// <summary>The next message, or null when the stream ended (or was reset).</summary>
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
                    var message = MessageCodec.Decode(frame, ProtocolLimits.Default); // before the pipe moves on
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
            return null;
        }
    }

    public ValueTask DisposeAsync() => _reader.CompleteAsync();
}
