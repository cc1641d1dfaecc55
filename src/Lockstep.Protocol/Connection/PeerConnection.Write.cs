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
                        int capacity = _frame.Capacity;
                        MessageCodec.Encode(message, _options.Compression, _options.Limits, _frame);
                        if (_frame.Capacity != capacity)
                            Interlocked.Increment(ref _frameBufferAllocations);
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
    /// One frame buffer, reused by the write loop (its only user): a block Response is marshalled straight into it
    /// instead of into fresh large-object arrays per block. A buffer grown past <see cref="FrameBufferKeep"/> (blocks
    /// of 1 MiB and more, which files from 1 GiB on have; a big Index) is kept while such frames keep coming, and
    /// dropped once none has been written for <see cref="KeepLargeFor"/>, so an idle connection does not hold it.
    /// Dropping it after every frame made each 1 MiB block allocate, zero and fault in a fresh 2 MiB array.
    /// </summary>
    private ArrayBufferWriter<byte> _frame = new(FrameBufferKeep);
    private const int FrameBufferKeep = 1024 * 1024;
    private static readonly TimeSpan KeepLargeFor = TimeSpan.FromSeconds(2);
    private long _lastLargeFrame;
    private int _frameBufferAllocations = 1;

    /// <summary>Frame buffers this connection has allocated, growth included (diagnostics and tests).</summary>
    internal int FrameBufferAllocations => Volatile.Read(ref _frameBufferAllocations);

    private async Task WriteFramesAsync(CancellationToken cancellationToken)
    {
        int length = _frame.WrittenCount;
        await _stream.WriteAsync(_frame.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (_frame.Capacity > FrameBufferKeep)
        {
            long now = _options.Clock.GetTimestamp();
            if (length > FrameBufferKeep)
                _lastLargeFrame = now;
            else if (_options.Clock.GetElapsedTime(_lastLargeFrame, now) > KeepLargeFor)
            {
                _frame = new ArrayBufferWriter<byte>(FrameBufferKeep);
                Interlocked.Increment(ref _frameBufferAllocations);
            }
        }
        Interlocked.Add(ref _bytesOut, length);
        Interlocked.Exchange(ref _lastSentTicks, _options.Clock.GetTimestamp());
    }
}
