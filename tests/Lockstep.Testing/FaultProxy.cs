using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Lockstep.Testing;

/// <summary>
/// A fault-injecting TCP proxy on 127.0.0.1 for tests that need a network to misbehave between two nodes: the
/// kernel here has no netem (ARCHITECTURE.md §5). It forwards every accepted connection to <see cref="Target"/>
/// and can cut the live connections (<see cref="Cut"/>), partition (<see cref="Partition"/>) and add latency
/// per direction. It never touches the bytes, so TLS passes through and the nodes see each other as usual.
/// Loopback only; every task it starts has ended when <see cref="DisposeAsync"/> returns.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<long, ProxyLink> _links = new();
    private readonly Task _acceptLoop;
    private readonly Lock _gateLock = new();
    private TaskCompletionSource _healed = NewOpenGate();
    private long _nextId, _accepted, _forwarded, _rejected, _bytesToTarget, _bytesToClient;
    private int _disposed;

    public FaultProxy(IPEndPoint target)
    {
        if (!IPAddress.IsLoopback(target.Address))
            throw new ArgumentException($"the proxy forwards only to loopback, not {target}", nameof(target));
        Target = target;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _acceptLoop = Task.Run(() => AcceptLoopAsync(_stop.Token));
    }

    public FaultProxy(int targetPort) : this(new IPEndPoint(IPAddress.Loopback, targetPort))
    {
    }

    public IPEndPoint Target { get; }

    /// <summary>Where clients connect (127.0.0.1, a port picked by the kernel).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The proxy as a BEP address, e.g. tcp://127.0.0.1:41234.</summary>
    public string Address => $"tcp://{EndPoint}";

    /// <summary>What a connection accepted while partitioned meets: a reset at once, or silence until the heal.</summary>
    public PartitionBehavior WhilePartitioned { get; set; } = PartitionBehavior.Reset;

    /// <summary>Added to every chunk going client → target (applies to chunks read from now on).</summary>
    public TimeSpan DelayToTarget { get; set; }

    /// <summary>Added to every chunk going target → client.</summary>
    public TimeSpan DelayToClient { get; set; }

    public bool IsPartitioned => !Volatile.Read(ref _healed).Task.IsCompleted;

    /// <summary>Connections accepted from clients, rejected ones included.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections that reached the target and carried bytes both ways.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Connections reset at once because the proxy was partitioned (<see cref="PartitionBehavior.Reset"/>).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Connections open right now (accepted and not yet closed).</summary>
    public int Active => _links.Count;

    public long BytesToTarget => Interlocked.Read(ref _bytesToTarget);
    public long BytesToClient => Interlocked.Read(ref _bytesToClient);

    public override string ToString() =>
        $"proxy {EndPoint} -> {Target}: accepted {Accepted}, forwarded {Forwarded}, rejected {Rejected}, active {Active}, " +
        $"bytes to target {BytesToTarget}, to client {BytesToClient}{(IsPartitioned ? ", partitioned" : "")}";

    /// <summary>
    /// Starts or ends a partition. While partitioned no byte moves in either direction on the live connections
    /// (they stall, as TCP does when packets are lost; the bytes flow on after the heal) and new connections meet
    /// <see cref="WhilePartitioned"/>. Combine with <see cref="Cut"/> to also drop what is open.
    /// </summary>
    public void Partition(bool partitioned)
    {
        lock (_gateLock)
        {
            if (partitioned && !IsPartitioned)
                _healed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            else if (!partitioned)
                _healed.TrySetResult();
        }
    }

    /// <summary>Aborts every live connection on both sides with a TCP reset; returns how many it cut.</summary>
    public int Cut()
    {
        int cut = 0;
        foreach (var link in _links.Values)
            if (link.Abort())
                cut++;
        return cut;
    }

    private static TaskCompletionSource NewOpenGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    private Task WaitHealedAsync(CancellationToken cancellationToken) => Volatile.Read(ref _healed).Task.WaitAsync(cancellationToken);

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            var link = new ProxyLink(client, cancellationToken);
            var id = Interlocked.Increment(ref _nextId);
            _links[id] = link;
            // Registered before the next accept: DisposeAsync waits for the accept loop, then for every link.
            link.Run = Task.Run(() => RunLinkAsync(id, link));
        }
    }

    private async Task RunLinkAsync(long id, ProxyLink link)
    {
        try
        {
            if (IsPartitioned && WhilePartitioned == PartitionBehavior.Reset)
            {
                Interlocked.Increment(ref _rejected);
                link.Abort();
                return;
            }
            await WaitHealedAsync(link.Token);
            var target = new Socket(Target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await target.ConnectAsync(Target, link.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                target.Dispose();
                link.Abort(); // a refusing target (or a cut meanwhile): the client sees a reset, as with no proxy in between
                return;
            }
            if (!link.Attach(target))
                return;
            Interlocked.Increment(ref _forwarded);
            await Task.WhenAll(
                PumpAsync(link, link.Client, target, () => DelayToTarget, n => Interlocked.Add(ref _bytesToTarget, n)),
                PumpAsync(link, target, link.Client, () => DelayToClient, n => Interlocked.Add(ref _bytesToClient, n)));
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            link.Abort();
        }
        finally
        {
            link.Close();
            _links.TryRemove(id, out _);
        }
    }

    /// <summary>One direction: a reader stamps each chunk with its due time, a writer sends it then (after any partition).</summary>
    private Task PumpAsync(ProxyLink link, Socket from, Socket to, Func<TimeSpan> delay, Action<int> count)
    {
        // Bounded: a stalled direction (partition, slow reader) pushes back on the sender as TCP would.
        var chunks = Channel.CreateBounded<(byte[] Data, long Due)>(64);
        return Task.WhenAll(ReadAsync(link, from, chunks.Writer, delay), WriteAsync(link, to, chunks.Reader, count));
    }

    private static async Task ReadAsync(ProxyLink link, Socket from, ChannelWriter<(byte[] Data, long Due)> output,
        Func<TimeSpan> delay)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                int n = await from.ReceiveAsync(buffer, SocketFlags.None, link.Token);
                if (n == 0)
                    break; // end of stream: pass the half-close on once the writer has drained
                var due = Environment.TickCount64 + (long)delay().TotalMilliseconds;
                await output.WriteAsync((buffer.AsSpan(0, n).ToArray(), due), link.Token);
            }
            output.TryComplete();
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or ChannelClosedException)
        {
            output.TryComplete();
            link.Abort();
        }
    }

    private async Task WriteAsync(ProxyLink link, Socket to, ChannelReader<(byte[] Data, long Due)> input, Action<int> count)
    {
        try
        {
            await foreach (var (data, due) in input.ReadAllAsync(link.Token))
            {
                var wait = due - Environment.TickCount64;
                if (wait > 0)
                    await Task.Delay(TimeSpan.FromMilliseconds(wait), link.Token);
                await WaitHealedAsync(link.Token);
                for (int sent = 0; sent < data.Length;)
                    sent += await to.SendAsync(data.AsMemory(sent), SocketFlags.None, link.Token);
                count(data.Length);
            }
            if (!link.IsAborted)
                to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            link.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop;
        Partition(false); // nothing waits on a gate that will never open
        foreach (var link in _links.Values)
            link.Abort();
        await Task.WhenAll(_links.Values.Select(l => l.Run ?? Task.CompletedTask));
        _stop.Dispose();
    }
}

/// <summary>What <see cref="FaultProxy"/> does with a connection accepted while it is partitioned.</summary>
public enum PartitionBehavior
{
    /// <summary>Accept and reset at once: the dialer fails fast, as against a refused port.</summary>
    Reset,

    /// <summary>Accept and forward nothing until the heal: the dialer's own timeouts decide, as with lost packets.</summary>
    Hold,
}
