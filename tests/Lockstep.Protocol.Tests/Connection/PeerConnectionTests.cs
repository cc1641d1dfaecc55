using System.Collections.Immutable;
using Lockstep.Protocol.Connection;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using Lockstep.Testing;

namespace Lockstep.Protocol.Tests.Connection;

public sealed class PeerConnectionTests : IAsyncDisposable
{
    private static readonly DeviceId A = new(Enumerable.Repeat((byte)1, 32).ToArray());
    private static readonly DeviceId B = new(Enumerable.Repeat((byte)2, 32).ToArray());
    private static readonly ClusterConfig Config = new() { Folders = [new FolderAnnouncement { Id = "f1" }] };
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));
    private readonly List<IAsyncDisposable> _cleanup = new();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        foreach (var d in _cleanup)
            await d.DisposeAsync();
    }

    private (PeerConnection Connection, RecordingHandler Handler, Task Run) Start(DuplexPipeStream end, DeviceId remote, PeerConnectionOptions? options = null)
    {
        var handler = new RecordingHandler();
        var connection = new PeerConnection(end, remote, Config, handler, options);
        _cleanup.Add(connection);
        return (connection, handler, connection.RunAsync(_stop.Token));
    }

    private static Lockstep.Protocol.Messages.FileInfo File(string name) => new()
    {
        Name = name, Size = 1, BlockSize = 131072, Permissions = 0b110_100_100,
        Blocks = [new BlockInfo(0, 1, new byte[32])],
        Version = VersionVector.Empty.Update(new ShortId(1), 5),
    };

    [Fact]
    public async Task Each_side_gets_the_others_cluster_config_first_then_indexes_in_order()
    {
        var (ea, eb) = DuplexPipeStream.CreatePair();
        var (a, ha, _) = Start(ea, B);
        var (b, hb, _) = Start(eb, A);
        a.Send(IndexMessage.Full("f1", [File("one")]));
        a.Send(IndexMessage.Update("f1", [File("two")]));
        Assert.Equal(Config, await hb.NextAsync<ClusterConfig>());
        Assert.Equal(Config, await ha.NextAsync<ClusterConfig>());
        var first = await hb.NextAsync<IndexMessage>();
        Assert.False(first.IsUpdate);
        Assert.Equal("one", Assert.Single(first.Files).Name);
        Assert.Equal("two", Assert.Single((await hb.NextAsync<IndexMessage>()).Files).Name);
        Assert.True(a.BytesOut > 0 && b.BytesIn == a.BytesOut);
    }

    /// <summary>
    /// A puller with a full window sends one Request per Response it gets. With 64 or more Requests already in
    /// flight, those trickling Requests go out together (one write, so one TLS record and one syscall at each end)
    /// instead of one write each; and each still reaches the peer and is answered.
    /// </summary>
    [Fact]
    public async Task Requests_trickling_into_a_deep_pipeline_go_out_in_batches()
    {
        var (ea, eb) = DuplexPipeStream.CreatePair();
        var (a, _, _) = Start(ea, B);
        var (_, hb, _) = Start(eb, A);
        var hold = new TaskCompletionSource<Response>(TaskCreationOptions.RunContinuationsAsynchronously);
        int arrived = 0;
        hb.Respond = r =>
        {
            Interlocked.Increment(ref arrived);
            return r.Name == "held" ? hold.Task : Task.FromResult(new Response { Data = System.Text.Encoding.UTF8.GetBytes(r.Name) });
        };
        var held = Enumerable.Range(0, 64).Select(_ => a.RequestAsync(new Request { Folder = "f1", Name = "held", Size = 1 })).ToList();
        await Eventually.TrueAsync(() => Volatile.Read(ref arrived) == 64, TimeSpan.FromSeconds(10), "the 64 held requests to arrive");

        int writesBefore = ea.Writes;
        var trickle = new List<Task<Response>>();
        for (int i = 0; i < 16; i++)
        {
            trickle.Add(a.RequestAsync(new Request { Folder = "f1", Name = $"t{i}", Size = 2 }));
            await Task.Yield(); // one at a time, as Responses would free a puller's slots
        }
        var answers = await Task.WhenAll(trickle).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"t{i}"), answers.Select(r => System.Text.Encoding.UTF8.GetString(r.Data.Span)));
        int writes = ea.Writes - writesBefore;
        Assert.True(writes <= 4, $"16 trickling requests took {writes} writes (one each would be 16)");

        hold.SetResult(new Response { Data = new byte[1] });
        await Task.WhenAll(held).WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// Blocks of 1 MiB (files from 1 GiB on) make frames larger than the buffer kept between writes. The grown buffer
    /// stays while such frames keep coming: before, each 1 MiB Response allocated, zeroed and faulted in a fresh
    /// 2 MiB array, which cost the serving node about a sixth of its CPU in a 1 GiB transfer.
    /// </summary>
    [Fact]
    public async Task A_stream_of_1_MiB_responses_reuses_one_grown_frame_buffer()
    {
        var (ea, eb) = DuplexPipeStream.CreatePair();
        var (a, _, _) = Start(ea, B);
        var (b, hb, _) = Start(eb, A);
        var block = new byte[1024 * 1024];
        new Random(7).NextBytes(block);
        hb.Respond = _ => Task.FromResult(new Response { Data = block });
        int before = b.FrameBufferAllocations;
        for (int i = 0; i < 32; i++)
        {
            using var response = await a.RequestAsync(new Request { Folder = "f1", Name = "big", Offset = (long)i << 20, Size = block.Length });
            Assert.True(response.Data.Span.SequenceEqual(block));
        }
        int allocations = b.FrameBufferAllocations - before;
        Assert.True(allocations <= 2, $"32 responses of 1 MiB allocated {allocations} frame buffers (one per response before the fix)");
    }

    [Fact]
    public async Task Requests_are_served_concurrently_and_responses_matched_by_id()
    {
        var (ea, eb) = DuplexPipeStream.CreatePair();
        var (a, _, _) = Start(ea, B);
        var (_, hb, _) = Start(eb, A);
        var release = new TaskCompletionSource();
        hb.Respond = async r =>
        {
            if (r.Name == "slow")
                await release.Task; // answered after the fast one: responses come back out of order
            return new Response { Data = System.Text.Encoding.UTF8.GetBytes(r.Name) };
        };
        var slow = a.RequestAsync(new Request { Folder = "f1", Name = "slow", Size = 4 });
        var fast = await a.RequestAsync(new Request { Folder = "f1", Name = "fast", Size = 4 });
        Assert.Equal("fast", System.Text.Encoding.UTF8.GetString(fast.Data.Span));
        Assert.False(slow.IsCompleted);
        release.SetResult();
        Assert.Equal("slow", System.Text.Encoding.UTF8.GetString((await slow).Data.Span));
    }

    [Fact]
    public async Task A_served_blocks_pooled_buffer_is_released_once_written_and_bursts_arrive_whole_and_in_order()
    {
        var (ea, eb) = DuplexPipeStream.CreatePair();
        var (a, _, _) = Start(ea, B);
        var (_, hb, _) = Start(eb, A);
        var leases = new System.Collections.Concurrent.ConcurrentBag<Blocks.BlockBuffer>();
        hb.Respond = r =>
        {
            var buffer = Blocks.BlockBuffer.Rent(r.Size);
            buffer.Span.Fill((byte)r.Offset);
            leases.Add(buffer);
            return Task.FromResult(new Response { Data = buffer.Memory, Lease = buffer });
        };
        // A burst: many Requests queued at once go out coalesced, and so do the Responses.
        var requests = Enumerable.Range(0, 200)
            .Select(i => a.RequestAsync(new Request { Folder = "f1", Name = "x", Offset = i % 251, Size = 1000 + i }))
            .ToArray();
        var responses = await Task.WhenAll(requests);
        for (int i = 0; i < responses.Length; i++)
        {
            using var response = responses[i];
            Assert.Equal(1000 + i, response.Data.Length);
            Assert.True(response.Data.Span.IndexOfAnyExcept((byte)(i % 251)) < 0);
            Assert.NotNull(response.Lease); // received blocks are pooled too
        }
        Assert.Equal(200, leases.Count);
        Assert.All(leases, l => Assert.Throws<ObjectDisposedException>(() => l.Memory)); // every served buffer went back
    }

    [Fact]
    public async Task A_request_whose_handler_fails_is_still_answered()
    {
        var (ea, eb) = DuplexPipeStream.CreatePair();
        var (a, _, _) = Start(ea, B);
        var (_, hb, _) = Start(eb, A);
        hb.Respond = _ => throw new InvalidOperationException("disk on fire");
        var r = await a.RequestAsync(new Request { Folder = "f1", Name = "x", Size = 1 });
        Assert.Equal(ErrorCode.Generic, r.Code);
    }

    [Fact]
    public async Task Close_carries_its_reason_to_the_other_side()
    {
        var (ea, eb) = DuplexPipeStream.CreatePair();
        var (a, ha, _) = Start(ea, B);
        var (_, hb, _) = Start(eb, A);
        await hb.NextAsync<ClusterConfig>();
        await a.CloseAsync("going away");
        Assert.Equal("closed by remote: going away", await hb.ClosedWith.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("going away", await ha.ClosedWith.Task);
        await Assert.ThrowsAsync<IOException>(() => a.RequestAsync(new Request { Folder = "f1", Name = "x", Size = 1 }));
    }

    [Fact]
    public async Task The_closing_side_keeps_its_reason_when_the_peer_hangs_up_before_its_write_returns()
    {
        var (ea, eb) = DuplexPipeStream.CreatePair();
        var (a, ha, _) = Start(ea, B);
        var (_, hb, _) = Start(eb, A);
        await hb.NextAsync<ClusterConfig>();
        // a's write of the Close returns only once b has read it and hung up and a's read loop has met the end of the
        // stream and ended the connection: the reason a reports must still be its own.
        ea.AfterWrite = () => ha.ClosedWith.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // Nor does the close wait out its timeout (10 s) for a write the end of the connection cut off.
        await a.CloseAsync("going away").WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("closed by remote: going away", await hb.ClosedWith.Task);
        Assert.Equal("going away", await ha.ClosedWith.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_message_before_cluster_config_closes_the_connection_with_the_reason()
    {
        var (ea, eb) = DuplexPipeStream.CreatePair();
        var (_, handler, _) = Start(ea, B);
        await using var raw = new RawPeer(eb);
        Assert.IsType<ClusterConfig>(await raw.ReadAsync()); // ours always goes first
        await raw.SendAsync(Ping.Instance);
        var close = Assert.IsType<Close>(await raw.ReadAsync());
        Assert.Contains("Ping received before ClusterConfig", close.Reason);
        Assert.StartsWith("protocol error", await handler.ClosedWith.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    public async Task An_index_with_a_bad_name_is_refused_at_the_boundary(string name)
    {
        var (ea, eb) = DuplexPipeStream.CreatePair();
        var (_, handler, _) = Start(ea, B);
        await using var raw = new RawPeer(eb);
        await raw.ReadAsync();
        await raw.SendAsync(Config);
        await handler.NextAsync<ClusterConfig>();
        await raw.SendAsync(IndexMessage.Full("f1", [File(name)]));
        var close = Assert.IsType<Close>(await raw.ReadAsync());
        Assert.Contains("protocol error", (await handler.ClosedWith.Task.WaitAsync(TimeSpan.FromSeconds(10))));
        Assert.False(string.IsNullOrEmpty(close.Reason));
        Assert.False(handler.Received.Reader.TryRead(out _)); // nothing reached the handler
    }

    [Fact]
    public async Task An_oversized_frame_is_refused_before_its_body_arrives()
    {
        var (ea, eb) = DuplexPipeStream.CreatePair();
        var (_, handler, _) = Start(ea, B);
        await using var raw = new RawPeer(eb);
        await raw.ReadAsync();
        // Header length 0 (ClusterConfig), then a message length of 0x7fff0000: refused on the length alone.
        await raw.SendRawAsync([0x00, 0x00, 0x7f, 0xff, 0x00, 0x00]);
        Assert.IsType<Close>(await raw.ReadAsync());
        Assert.StartsWith("protocol error", await handler.ClosedWith.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Idle_connections_ping_after_45_s_and_close_after_300_s_of_silence()
    {
        var clock = new ManualTimeProvider();
        var (ea, eb) = DuplexPipeStream.CreatePair();
        var (_, handler, _) = Start(ea, B, new PeerConnectionOptions { Clock = clock });
        await using var raw = new RawPeer(eb);
        await raw.ReadAsync();
        await raw.SendAsync(Config);
        await handler.NextAsync<ClusterConfig>();
        clock.Advance(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(20)); // 50 s without sending: one Ping
        Assert.IsType<Ping>(await raw.ReadAsync());
        Assert.False(handler.ClosedWith.Task.IsCompleted);
        for (int i = 0; i < 30 && !handler.ClosedWith.Task.IsCompleted; i++)
            clock.Advance(TimeSpan.FromSeconds(15)); // nothing received for > 300 s
        Assert.StartsWith("read timeout", await handler.ClosedWith.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task The_peer_hanging_up_mid_frame_is_reported()
    {
        var (ea, eb) = DuplexPipeStream.CreatePair();
        var (_, handler, _) = Start(ea, B);
        var raw = new RawPeer(eb);
        await raw.ReadAsync();
        await raw.SendRawAsync([0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0a]); // 16-byte body, 1 byte sent
        eb.CompleteWriting();
        Assert.Contains("in the middle of a frame", await handler.ClosedWith.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await raw.DisposeAsync();
    }

    [Fact]
    public async Task A_handler_that_throws_closes_only_that_connection()
    {
        var (ea, eb) = DuplexPipeStream.CreatePair();
        var handler = new ThrowingIndexHandler();
        var connection = new PeerConnection(ea, B, Config, handler);
        _cleanup.Add(connection);
        _ = connection.RunAsync(_stop.Token);
        await using var raw = new RawPeer(eb);
        await raw.ReadAsync();
        await raw.SendAsync(Config);
        await raw.SendAsync(IndexMessage.Full("f1", [File("ok")]));
        var close = Assert.IsType<Close>(await raw.ReadAsync());
        Assert.Contains("index store unavailable", close.Reason);
        Assert.StartsWith("internal error", await handler.ClosedWith.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private sealed class ThrowingIndexHandler : IPeerMessageHandler
    {
        public TaskCompletionSource<string> ClosedWith { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public ValueTask OnClusterConfigAsync(PeerConnection c, ClusterConfig config, CancellationToken ct) => ValueTask.CompletedTask;
        public ValueTask OnIndexAsync(PeerConnection c, IndexMessage index, CancellationToken ct) => throw new InvalidOperationException("index store unavailable");
        public ValueTask<Response> OnRequestAsync(PeerConnection c, Request request, CancellationToken ct) => ValueTask.FromResult(new Response());
        public ValueTask OnDownloadProgressAsync(PeerConnection c, DownloadProgress progress, CancellationToken ct) => ValueTask.CompletedTask;
        public void OnClosed(PeerConnection c, string reason) => ClosedWith.TrySetResult(reason);
    }
}
