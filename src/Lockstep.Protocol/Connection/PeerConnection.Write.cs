using Lockstep.Protocol.Framing;
using Lockstep.Protocol.Messages;

namespace Lockstep.Protocol.Connection;

// The write loop: the only writer of the stream. Messages go out in queue order, each as one frame.
public sealed partial class PeerConnection
{
    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in _outbox.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                switch (item)
                {
                    case OutboxItem.CloseThenStop close:
                        await WriteFrameAsync(new Close(close.Reason), cancellationToken).ConfigureAwait(false);
                        close.Sent.TrySetResult();
                        return; // nothing may follow a Close
                    case OutboxItem.Message m:
                        await WriteFrameAsync(m.Value, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or ProtocolException)
        {
            Terminate($"write failed: {e.Message}");
        }
    }

    private async Task WriteFrameAsync(BepMessage message, CancellationToken cancellationToken)
    {
        var frame = MessageCodec.Encode(message, _options.Compression, _options.Limits);
        await _stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _bytesOut, frame.Length);
        Interlocked.Exchange(ref _lastSentTicks, _options.Clock.GetTimestamp());
    }
}
