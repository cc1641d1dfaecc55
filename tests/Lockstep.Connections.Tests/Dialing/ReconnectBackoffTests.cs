using Lockstep.Connections.Dialing;
using Lockstep.Connections.Tests.Support;
using Lockstep.Testing;

namespace Lockstep.Connections.Tests.Dialing;

/// <summary>Default policy: 1 s, ×2, cap 60 s, ±20% jitter, reset after a connection lived more than 10 s.</summary>
public sealed class ReconnectBackoffTests
{
    [Theory]
    // NextDouble 0.5 is the middle of the jitter range: the nominal sequence.
    [InlineData(0.5, new[] { 0, 1.0, 2, 4, 8, 16, 32, 60, 60, 60 })]
    // NextDouble 0 is the bottom: 20% less, the cap included.
    [InlineData(0.0, new[] { 0, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 48, 48, 48 })]
    // NextDouble 0.75 is +10%; at the cap the jittered value (66 s) is clamped to 60 s.
    [InlineData(0.75, new[] { 0, 1.1, 2.2, 4.4, 8.8, 17.6, 35.2, 60, 60, 60 })]
    public void Delays_grow_exponentially_with_jitter_and_a_hard_cap(double randomValue, double[] expectedSeconds)
    {
        var backoff = new ReconnectBackoff(random: new ScriptedRandom(randomValue));
        var actual = Enumerable.Range(0, expectedSeconds.Length).Select(_ => backoff.NextDelay().TotalSeconds).ToArray();
        Assert.Equal(expectedSeconds, actual, (x, y) => Math.Abs(x - y) < 1e-9);
        Assert.Equal(expectedSeconds.Length, backoff.Attempt);
    }

    [Fact]
    public void Jitter_stays_within_twenty_percent_and_never_passes_the_cap()
    {
        var backoff = new ReconnectBackoff(random: new Random(12345));
        var nominal = new[] { 0, 1.0, 2, 4, 8, 16, 32, 60 };
        for (var i = 0; i < 2000; i++)
        {
            var n = nominal[Math.Min(i, nominal.Length - 1)];
            Assert.InRange(backoff.NextDelay().TotalSeconds, n * 0.8, Math.Min(n * 1.2, 60));
        }
    }

    [Fact]
    public void A_connection_that_lived_more_than_ten_seconds_resets_the_backoff()
    {
        var clock = new FixedClock(DateTimeOffset.UnixEpoch);
        var backoff = new ReconnectBackoff(random: new ScriptedRandom(0.5), clock: clock);
        for (var i = 0; i < 5; i++)
            backoff.NextDelay();

        backoff.ConnectionEstablished();
        clock.Advance(TimeSpan.FromSeconds(10.001));
        backoff.ConnectionClosed();

        Assert.Equal(0, backoff.Attempt);
        Assert.Equal(TimeSpan.Zero, backoff.NextDelay());
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.NextDelay());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)] // exactly 10 s is not "more than" 10 s
    public void A_short_lived_connection_keeps_backing_off(double livedSeconds)
    {
        var clock = new FixedClock(DateTimeOffset.UnixEpoch);
        var backoff = new ReconnectBackoff(random: new ScriptedRandom(0.5), clock: clock);
        backoff.NextDelay(); // 0: dial at once
        backoff.NextDelay(); // 1 s

        backoff.ConnectionEstablished();
        clock.Advance(TimeSpan.FromSeconds(livedSeconds));
        backoff.ConnectionClosed();

        Assert.Equal(TimeSpan.FromSeconds(2), backoff.NextDelay());
    }

    [Fact]
    public void Closing_without_an_established_connection_does_not_reset()
    {
        var clock = new FixedClock(DateTimeOffset.UnixEpoch);
        var backoff = new ReconnectBackoff(random: new ScriptedRandom(0.5), clock: clock);
        backoff.NextDelay();
        clock.Advance(TimeSpan.FromHours(1));
        backoff.ConnectionClosed();
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.NextDelay());
    }

    [Fact]
    public void A_custom_policy_is_followed()
    {
        var policy = new BackoffPolicy { Initial = TimeSpan.FromMilliseconds(100), Factor = 3, Max = TimeSpan.FromSeconds(1), Jitter = 0 };
        var backoff = new ReconnectBackoff(policy);
        Assert.Equal([0, 100, 300, 900, 1000, 1000], Enumerable.Range(0, 6).Select(_ => backoff.NextDelay().TotalMilliseconds));
    }

    [Fact]
    public void Invalid_policies_are_rejected_where_they_are_built()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BackoffPolicy { Initial = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new BackoffPolicy { Factor = 0.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new BackoffPolicy { Factor = double.PositiveInfinity });
        Assert.Throws<ArgumentOutOfRangeException>(() => new BackoffPolicy { Max = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new BackoffPolicy { Jitter = 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new BackoffPolicy { ResetAfter = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentException>(() => new ReconnectBackoff(new BackoffPolicy { Initial = TimeSpan.FromSeconds(2), Max = TimeSpan.FromSeconds(1) }));
    }
}
