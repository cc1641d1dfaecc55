using System.Buffers;
using Lockstep.Protocol.Framing;
using Lockstep.Protocol.Messages;

namespace Lockstep.Protocol.Connection;

// The write loop: the only writer of the stream. Messages go out in queue order, each as one frame, and the
// frames of everything queued at once share one write.
public sealed partial class PeerConnection
{
    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            var queue = _outbox.Reader;
            while (await queue.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // Everything already queued goes out in one write (up to a bound): many small Requests, or a burst of
                // Responses, cost one TLS write and one syscall instead of one each.
                _frame.ResetWrittenCount();
                OutboxItem.CloseThenStop? close = null;
                int requests = 0;
                bool onlyRequests = true, waited = false;
            drain:
                while (_frame.WrittenCount < CoalesceBytes && queue.TryRead(out var item))
                {
                    if (item is OutboxItem.CloseThenStop c)
                    {
                        close = c;
                        MessageCodec.Encode(new Close(c.Reason), _options.Compression, _options.Limits, _frame);
                        break; // nothing may follow a Close
                    }
                    var message = ((OutboxItem.Message)item).Value;
                    if (message is Request)
                        requests++;
                    else
                        onlyRequests = false;
                    try
                    {
                        MessageCodec.Encode(message, _options.Compression, _options.Limits, _frame);
                    }
                    finally
                    {
                        (message as Response)?.Dispose(); // its bytes are in the frame buffer now
                    }
                }
                if (close is null && onlyRequests && !waited && requests < RequestBatch && _pending.Count >= DeepPipeline)
                {
                    // A deep pipeline of Requests (a puller keeping its window full) is refilled one Request per
                    // Response; sent one by one, each costs a TLS record, a syscall and a wakeup at both ends. With
                    // this many already in flight, a millisecond's wait loses nothing and lets a batch build up.
                    waited = true;
                    await Task.Delay(RequestBatchWait, cancellationToken).ConfigureAwait(false);
                    goto drain;
                }
                await WriteFramesAsync(cancellationToken).ConfigureAwait(false);
                if (close is not null)
                {
                    close.Sent.TrySetResult();
                    return;
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

    private const int CoalesceBytes = 256 * 1024;
    private const int RequestBatch = 16;
    private const int DeepPipeline = 64;
    private static readonly TimeSpan RequestBatchWait = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// One frame buffer, reused by the write loop (its only user): a 128 KiB block Response is marshalled
    /// straight into it instead of into fresh large-object arrays per block. An oversized buffer left by a
    /// big Index is dropped rather than kept for the connection's lifetime.
    /// </summary>
    private ArrayBufferWriter<byte> _frame = new(FrameBufferKeep);
    private const int FrameBufferKeep = 1024 * 1024;

    private async Task WriteFramesAsync(CancellationToken cancellationToken)
    {
        int length = _frame.WrittenCount;
        await _stream.WriteAsync(_frame.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (_frame.Capacity > FrameBufferKeep)
            _frame = new ArrayBufferWriter<byte>(FrameBufferKeep);
        Interlocked.Add(ref _bytesOut, length);
        Interlocked.Exchange(ref _lastSentTicks, _options.Clock.GetTimestamp());
    }
}
