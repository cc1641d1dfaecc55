using System.Buffers;
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

    /// <summary>
    /// One frame buffer, reused by the write loop (its only user): a 128 KiB block Response is marshalled
    /// straight into it instead of into two fresh large-object arrays per block. An oversized buffer left by a
    /// big Index is dropped rather than kept for the connection's lifetime.
    /// </summary>
    private ArrayBufferWriter<byte> _frame = new(FrameBufferKeep);
    private const int FrameBufferKeep = 1024 * 1024;

    private async Task WriteFrameAsync(BepMessage message, CancellationToken cancellationToken)
    {
        _frame.ResetWrittenCount();
        MessageCodec.Encode(message, _options.Compression, _options.Limits, _frame);
        int length = _frame.WrittenCount;
        await _stream.WriteAsync(_frame.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (_frame.Capacity > FrameBufferKeep)
            _frame = new ArrayBufferWriter<byte>(FrameBufferKeep);
        Interlocked.Add(ref _bytesOut, length);
        Interlocked.Exchange(ref _lastSentTicks, _options.Clock.GetTimestamp());
    }
}
