using System.Buffers;
using System.IO.Pipelines;
using Lockstep.Protocol.Framing;
using Lockstep.Protocol.Messages;
using Lockstep.Protocol.Validation;

namespace Lockstep.Protocol.Connection;

// The read loop: the only reader of the stream. Frames are parsed as they complete (FrameReader never waits for
// or allocates a body past the limits), decoded, validated at the boundary, then dispatched.
public sealed partial class PeerConnection
{
    private bool _gotClusterConfig;

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                long before = buffer.Length;
                try
                {
                    while (FrameReader.TryRead(ref buffer, _options.Limits, out var frame))
                    {
                        Interlocked.Exchange(ref _lastReceivedTicks, _options.Clock.GetTimestamp());
                        // Decode before the pipe is advanced: the frame's body points into its buffer.
                        var message = MessageCodec.Decode(frame, _options.Limits);
                        if (message is null)
                            continue; // an unknown message type: read and skipped, as Syncthing does
                        InboundValidator.Validate(message, _options.Limits);
                        if (!await DispatchAsync(message, cancellationToken).ConfigureAwait(false))
                            return;
                    }
                }
                finally
                {
                    Interlocked.Add(ref _bytesIn, before - buffer.Length);
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }
                if (result.IsCompleted)
                {
                    Terminate(buffer.IsEmpty ? "the peer closed the connection" : $"the peer closed the connection in the middle of a frame ({buffer.Length} bytes of it received)");
                    return;
                }
            }
        }
        catch (ProtocolException e)
        {
            PeerLog.Violation(_options.Logger, RemoteId.ToString(), e.Message);
            await CloseAsync($"protocol error: {e.Message}").ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            Terminate($"read failed: {e.Message}");
        }
        catch (Exception e)
        {
            // The handler failed on something the peer sent: this connection ends, the node goes on.
            PeerLog.HandlerFailed(_options.Logger, RemoteId.ToString(), e.Message);
            await CloseAsync($"internal error: {e.Message}").ConfigureAwait(false);
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Hands one message on; false when the connection ends with it (a Close from the peer).</summary>
    private async ValueTask<bool> DispatchAsync(BepMessage message, CancellationToken cancellationToken)
    {
        if (!_gotClusterConfig && message is not (ClusterConfig or Close))
            throw new ProtocolException(ProtocolError.Malformed,
                $"{MessageName(message)} received before ClusterConfig (the first message must be a ClusterConfig)");
        switch (message)
        {
            case ClusterConfig config:
                _gotClusterConfig = true;
                await _handler.OnClusterConfigAsync(this, config, cancellationToken).ConfigureAwait(false);
                break;
            case IndexMessage index:
                await _handler.OnIndexAsync(this, index, cancellationToken).ConfigureAwait(false);
                break;
            case Request request:
                // Served concurrently; the slots bound the work, and waiting for one pushes back through TCP.
                await _requestSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
                _ = ServeAsync(request, cancellationToken);
                break;
            case Response response:
                if (!_pending.TryGetValue(response.Id, out var waiting))
                {
                    PeerLog.UnknownResponse(_options.Logger, RemoteId.ToString(), response.Id);
                    response.Dispose();
                }
                else if (!waiting.TrySetResult(response))
                {
                    response.Dispose(); // the requester gave up (cancelled) just before it arrived
                }
                break;
            case DownloadProgress progress:
                await _handler.OnDownloadProgressAsync(this, progress, cancellationToken).ConfigureAwait(false);
                break;
            case Close close:
                Terminate($"closed by remote: {close.Reason}");
                return false;
            case Ping:
                break;
        }
        return true;
    }

    private async Task ServeAsync(Request request, CancellationToken cancellationToken)
    {
        try
        {
            Response response;
            try
            {
                response = await _handler.OnRequestAsync(this, request, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // the connection is going away; nobody is left to answer
            }
            catch (Exception e)
            {
                // Never leave a Request unanswered: Syncthing's puller would wait on it forever.
                PeerLog.RequestFailed(_options.Logger, RemoteId.ToString(), request.Folder, request.Name, e.Message);
                response = new Response { Code = ErrorCode.Generic };
            }
            if (!_outbox.Writer.TryWrite(new OutboxItem.Message(response with { Id = request.Id })))
                response.Dispose(); // the connection is closing: the bytes will never be written
        }
        finally
        {
            _requestSlots.Release();
        }
    }

    private static string MessageName(BepMessage message) => message switch
    {
        IndexMessage { IsUpdate: true } => "IndexUpdate",
        IndexMessage => "Index",
        _ => message.GetType().Name,
    };
}
