using System.Collections.Concurrent;
using Lockstep.Connections.Dialing;
using Lockstep.Connections.Errors;
using Lockstep.Connections.Tests.Support;
using Lockstep.Testing;

namespace Lockstep.Connections.Tests.Dialing;

/// <summary>The per-device dial loop against real listeners and refusing ports.</summary>
public sealed class DialLoopTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static readonly BackoffPolicy Fast = new()
    {
        Initial = TimeSpan.FromMilliseconds(20), Factor = 2, Max = TimeSpan.FromMilliseconds(80), Jitter = 0,
    };

    [Fact]
    public async Task Tries_the_addresses_in_order_until_one_works()
    {
        await using var us = TestPeer.Create();
        await using var peer = TestPeer.Create();
        us.Trust(peer);
        peer.Trust(us);
        await peer.ListenAsync();
        using var refusing = Ports.Refusing();
        var closed = $"tcp://127.0.0.1:{Ports.PortOf(refusing)}";
        var loop = new DialLoop(peer.Id, [closed, "dynamic", peer.Address], us.Dialer, new ReconnectBackoff(Fast));
        var attempts = new ConcurrentQueue<DialAttempt>();
        loop.Attempted += (_, a) => attempts.Enqueue(a);

        await using var connection = await loop.RunAsync().WaitAsync(Wait);
        await using var accepted = await peer.AcceptAsync();

        Assert.NotNull(connection);
        Assert.Equal(peer.Id, connection.RemoteId);
        Assert.Equal([closed, peer.Address], loop.Addresses.Select(a => a.ToString()));
        Assert.Collection(attempts,
            a => Assert.Equal((closed, 1, ConnectionError.ConnectFailed), (a.Address.ToString(), a.Round, a.Error?.Error)),
            a => Assert.Equal((peer.Address, 1, true), (a.Address.ToString(), a.Round, a.Succeeded)));
    }

    [Fact]
    public async Task Rounds_are_spaced_by_the_backoff_until_the_device_connects_some_other_way()
    {
        await using var us = TestPeer.Create();
        using var refusingA = Ports.Refusing();
        using var refusingB = Ports.Refusing();
        var addresses = new[] { $"tcp://127.0.0.1:{Ports.PortOf(refusingA)}", $"tcp://127.0.0.1:{Ports.PortOf(refusingB)}" };
        var loop = new DialLoop(us.Id, addresses, us.Dialer, new ReconnectBackoff(Fast));
        var attempts = new ConcurrentQueue<DialAttempt>();
        var waits = new ConcurrentQueue<TimeSpan>();
        loop.Attempted += (_, a) => attempts.Enqueue(a);
        loop.Waiting += (_, w) => waits.Enqueue(w);

        var run = loop.RunAsync();
        await Eventually.TrueAsync(() => attempts.Count >= 10, Wait, "five rounds of two attempts");
        loop.NotifyConnected();

        Assert.Null(await run.WaitAsync(Wait));
        var seen = attempts.ToArray();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(i / 2 + 1, seen[i].Round);
            Assert.Equal(addresses[i % 2], seen[i].Address.ToString());
            Assert.Equal(ConnectionError.ConnectFailed, seen[i].Error?.Error);
        }
        Assert.Equal([20, 40, 80, 80], waits.Take(4).Select(w => w.TotalMilliseconds));
    }

    [Fact]
    public async Task Being_told_the_device_connected_ends_a_long_wait_at_once()
    {
        await using var us = TestPeer.Create();
        using var refusing = Ports.Refusing();
        var slow = new BackoffPolicy { Initial = TimeSpan.FromHours(1), Max = TimeSpan.FromHours(1) };
        var loop = new DialLoop(us.Id, [$"tcp://127.0.0.1:{Ports.PortOf(refusing)}"], us.Dialer, new ReconnectBackoff(slow));
        var waiting = new TaskCompletionSource();
        loop.Waiting += (_, _) => waiting.TrySetResult();

        var run = loop.RunAsync();
        await waiting.Task.WaitAsync(Wait);
        loop.NotifyConnected();

        Assert.Null(await run.WaitAsync(Wait));
        // Still connected: a new run returns at once without dialing.
        Assert.Null(await loop.RunAsync().WaitAsync(Wait));
    }

    [Fact]
    public async Task Cancelling_ends_a_wait_with_OperationCanceledException()
    {
        await using var us = TestPeer.Create();
        using var refusing = Ports.Refusing();
        var slow = new BackoffPolicy { Initial = TimeSpan.FromHours(1), Max = TimeSpan.FromHours(1) };
        var loop = new DialLoop(us.Id, [$"tcp://127.0.0.1:{Ports.PortOf(refusing)}"], us.Dialer, new ReconnectBackoff(slow));
        var waiting = new TaskCompletionSource();
        loop.Waiting += (_, _) => waiting.TrySetResult();
        using var cts = new CancellationTokenSource();

        var run = loop.RunAsync(cts.Token);
        await waiting.Task.WaitAsync(Wait);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Wait));
    }

    [Fact]
    public async Task After_a_short_lived_connection_the_redial_waits_and_after_a_long_one_it_does_not()
    {
        await using var us = TestPeer.Create();
        await using var peer = TestPeer.Create();
        us.Trust(peer);
        peer.Trust(us);
        await peer.ListenAsync();
        var clock = new FixedClock(DateTimeOffset.UnixEpoch);
        var loop = new DialLoop(peer.Id, [peer.Address], us.Dialer, new ReconnectBackoff(Fast, clock: clock));
        var waits = new ConcurrentQueue<TimeSpan>();
        loop.Waiting += (_, w) => waits.Enqueue(w);

        await (await loop.RunAsync().WaitAsync(Wait))!.DisposeAsync();
        await (await peer.AcceptAsync()).DisposeAsync();
        Assert.Empty(waits); // the first dial goes at once

        clock.Advance(TimeSpan.FromSeconds(2));
        loop.NotifyDisconnected(); // lived 2 s: flapping, so back off
        await (await loop.RunAsync().WaitAsync(Wait))!.DisposeAsync();
        await (await peer.AcceptAsync()).DisposeAsync();
        Assert.Equal([20], waits.Select(w => w.TotalMilliseconds));

        clock.Advance(TimeSpan.FromSeconds(11));
        loop.NotifyDisconnected(); // lived 11 s: a real connection, so redial at once
        await (await loop.RunAsync().WaitAsync(Wait))!.DisposeAsync();
        await (await peer.AcceptAsync()).DisposeAsync();
        Assert.Single(waits);
    }

    [Fact]
    public void An_invalid_address_is_rejected_when_the_loop_is_built()
    {
        var e = Assert.Throws<ConnectionException>(() =>
            new DialLoop(default, ["tcp://ok:1", "tcp://::1:22000"], new NeverDialer(), new ReconnectBackoff()));
        Assert.Equal(ConnectionError.InvalidAddress, e.Error);
        Assert.Contains("brackets", e.Message);
    }

    private sealed class NeverDialer : IPeerDialer
    {
        public Task<Lockstep.Connections.Tls.SecureConnection> ConnectAsync(Lockstep.Protocol.Identity.DeviceId expected,
            Lockstep.Connections.Addressing.BepAddress address, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("not dialed in this test");
    }
}
