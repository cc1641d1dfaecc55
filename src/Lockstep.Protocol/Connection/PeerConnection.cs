using System.Collections.Concurrent;
using System.Threading.Channels;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;

namespace Lockstep.Protocol.Connection;

/// <summary>
/// One BEP connection after the Hello (bep-v1.md §5): one read loop and one write loop own the stream
/// (STYLE rule 5). Our ClusterConfig is always the first message out; the peer's must be the first in.
/// Anything the peer gets wrong closes this connection with a Close stating why and a log line naming the
/// device — never the process.
/// </summary>
public sealed partial class PeerConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly IPeerMessageHandler _handler;
    private readonly PeerConnectionOptions _options;
    private readonly Channel<OutboxItem> _outbox = Channel.CreateUnbounded<OutboxItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<int, TaskCompletionSource<Response>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _requestSlots;
    private int _nextRequestId;
    private int _closing;
    private string? _ownCloseReason; // set when this side starts the close: the peer hanging up in answer does not replace it
    private int _terminated;
    private long _lastReceivedTicks;
    private long _lastSentTicks;
    private long _bytesIn;
    private long _bytesOut;

    public PeerConnection(Stream stream, DeviceId remote, ClusterConfig ours, IPeerMessageHandler handler, PeerConnectionOptions? options = null)
    {
        _stream = stream;
        RemoteId = remote;
        _handler = handler;
        _options = options ?? new PeerConnectionOptions();
        _requestSlots = new SemaphoreSlim(_options.MaxConcurrentRequests);
        _outbox.Writer.TryWrite(new OutboxItem.Message(ours)); // first out, whatever else is queued later
        var now = _options.Clock.GetTimestamp();
        _lastReceivedTicks = now;
        _lastSentTicks = now;
    }

    public DeviceId RemoteId { get; }
    public long BytesIn => Interlocked.Read(ref _bytesIn);
    public long BytesOut => Interlocked.Read(ref _bytesOut);

    /// <summary>Completes with the reason once the connection is closed (by either side or by an error).</summary>
    public Task<string> Closed => _closed.Task;

    /// <summary>Runs the read loop, the write loop and the keepalive until the connection closes.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var link = cancellationToken.Register(() => _ = CloseAsync("shutting down"));
        var reader = Task.Run(() => ReadLoopAsync(_stop.Token), CancellationToken.None);
        var writer = Task.Run(() => WriteLoopAsync(_stop.Token), CancellationToken.None);
        var keepalive = Task.Run(() => KeepaliveLoopAsync(_stop.Token), CancellationToken.None);
        await _closed.Task.ConfigureAwait(false);
        await Task.WhenAll(reader, writer, keepalive).ConfigureAwait(false);
    }

    /// <summary>Queues a message. ClusterConfig, Index/IndexUpdate, DownloadProgress; Close goes through <see cref="CloseAsync"/>.</summary>
    public void Send(BepMessage message)
    {
        if (message is Close or Request or Response)
            throw new ArgumentException($"{message.GetType().Name} is sent through {(message is Close ? nameof(CloseAsync) : nameof(RequestAsync))}", nameof(message));
        if (!_outbox.Writer.TryWrite(new OutboxItem.Message(message)))
            throw new IOException($"the connection to {RemoteId} is closed");
    }

    /// <summary>Sends a Request (its Id is assigned here) and waits for the Response with the same id.</summary>
    public async Task<Response> RequestAsync(Request request, CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource<Response>(TaskCreationOptions.RunContinuationsAsynchronously);
        int id;
        do
            id = Interlocked.Increment(ref _nextRequestId) & int.MaxValue;
        while (!_pending.TryAdd(id, done));
        try
        {
            if (!_outbox.Writer.TryWrite(new OutboxItem.Message(request with { Id = id })))
                throw new IOException($"the connection to {RemoteId} is closed");
            using var reg = cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
            return await done.Task.ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Sends Close with the reason (waiting at most CloseTimeout for it to go out), then drops the stream.</summary>
    public async Task CloseAsync(string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            await _closed.Task.ConfigureAwait(false);
            return;
        }
        Volatile.Write(ref _ownCloseReason, reason);
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_outbox.Writer.TryWrite(new OutboxItem.CloseThenStop(reason, sent)))
            await Task.WhenAny(sent.Task, _closed.Task, Task.Delay(_options.CloseTimeout, _options.Clock)).ConfigureAwait(false); // ended meanwhile: nothing left to wait for
        Terminate(reason);
    }

    /// <summary>
    /// The end of the connection: stop the loops, fail what waits, log, tell the handler — once. <see cref="Closed"/>
    /// completes only after all of that, so whoever waits on it (a node shutting down and exiting) never cuts the
    /// log line or the handler's bookkeeping short.
    /// </summary>
    private void Terminate(string reason)
    {
        Interlocked.Exchange(ref _closing, 1);
        if (Interlocked.Exchange(ref _terminated, 1) != 0)
            return;
        // Once our Close is out the peer drops the stream, and the read loop may see that first: the reason is still ours.
        reason = Volatile.Read(ref _ownCloseReason) ?? reason;
        try
        {
            _outbox.Writer.TryComplete();
            _stop.Cancel();
            try
            {
                _stream.Dispose();
            }
            catch (IOException)
            {
            }
            foreach (var waiting in _pending.Values)
                waiting.TrySetException(new IOException($"the connection to {RemoteId} closed: {reason}"));
            PeerLog.Closed(_options.Logger, RemoteId.ToString(), reason);
            _handler.OnClosed(this, reason);
        }
        finally
        {
            _closed.TrySetResult(reason);
        }
    }

    private async Task KeepaliveLoopAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, Math.Min(_options.PingAfterIdle.Ticks, _options.ReceiveTimeout.Ticks) / 4));
        using var timer = new PeriodicTimer(period, _options.Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var clock = _options.Clock;
                if (clock.GetElapsedTime(Interlocked.Read(ref _lastReceivedTicks)) >= _options.ReceiveTimeout)
                {
                    Terminate($"read timeout: nothing received for {_options.ReceiveTimeout.TotalSeconds:F0} s");
                    return;
                }
                if (clock.GetElapsedTime(Interlocked.Read(ref _lastSentTicks)) >= _options.PingAfterIdle)
                {
                    Interlocked.Exchange(ref _lastSentTicks, clock.GetTimestamp()); // one Ping per idle period
                    _outbox.Writer.TryWrite(new OutboxItem.Message(Ping.Instance));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_closed.Task.IsCompleted)
            await CloseAsync("closed").ConfigureAwait(false);
        // Neither the stop source nor the request slots are disposed: a loop or a request being served may still use them.
    }
}
