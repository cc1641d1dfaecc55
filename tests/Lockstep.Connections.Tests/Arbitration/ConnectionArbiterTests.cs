using Lockstep.Connections.Arbitration;
using Lockstep.Connections.Tls;
using Lockstep.Protocol.Identity;
using static Lockstep.Connections.Tls.ConnectionDirection;

namespace Lockstep.Connections.Tests.Arbitration;

public sealed class ConnectionArbiterTests
{
    private static readonly DeviceId Low = Id(0x10);
    private static readonly DeviceId High = Id(0xF0);
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>One row of the decision table: we are <see cref="Local"/>, the peer <see cref="Remote"/>.</summary>
    public sealed record Case(
        string Description,
        DeviceId Local,
        DeviceId Remote,
        ConnectionFacts Existing,
        ConnectionFacts Candidate,
        Keep Keep,
        ArbiterRule Rule)
    {
        public override string ToString() => Description;
    }

    private static ConnectionFacts Conn(ConnectionDirection dir, double ageSeconds, int priority = ConnectionFacts.TcpPriority) =>
        new(dir, Now - TimeSpan.FromSeconds(ageSeconds), priority);

    public static TheoryData<Case> Table() =>
    [
        new("better priority wins even against a young connection",
            Low, High, Conn(Outgoing, 1, priority: 20), Conn(Incoming, 0, priority: 10), Keep.Candidate, ArbiterRule.BetterPriority),
        new("an existing connection older than 10 s yields (Syncthing's minConnectionReplaceAge)",
            Low, High, Conn(Outgoing, 10.5), Conn(Incoming, 0), Keep.Candidate, ArbiterRule.ExistingStale),
        new("age beats a worse priority, as in Syncthing",
            Low, High, Conn(Outgoing, 30, priority: 10), Conn(Incoming, 0, priority: 20), Keep.Candidate, ArbiterRule.ExistingStale),
        new("exactly 10 s is not older than 10 s",
            High, Low, Conn(Incoming, 10), Conn(Outgoing, 0), Keep.Existing, ArbiterRule.LowerDeviceIdDialed),
        new("a young connection keeps out a worse-priority one",
            Low, High, Conn(Outgoing, 2, priority: 10), Conn(Incoming, 0, priority: 20), Keep.Existing, ArbiterRule.WorsePriority),
        new("the peer dialed again within 10 s: it lost the first one, keep the new",
            Low, High, Conn(Incoming, 3), Conn(Incoming, 0), Keep.Candidate, ArbiterRule.SameDialerNewer),
        new("we dialed again within 10 s: keep the new",
            High, Low, Conn(Outgoing, 3), Conn(Outgoing, 0), Keep.Candidate, ArbiterRule.SameDialerNewer),
        new("simultaneous dial, we are lower, ours came first: keep ours",
            Low, High, Conn(Outgoing, 0.01), Conn(Incoming, 0), Keep.Existing, ArbiterRule.LowerDeviceIdDialed),
        new("simultaneous dial, we are lower, theirs came first: switch to ours",
            Low, High, Conn(Incoming, 0.01), Conn(Outgoing, 0), Keep.Candidate, ArbiterRule.LowerDeviceIdDialed),
        new("simultaneous dial, we are higher, ours came first: switch to theirs",
            High, Low, Conn(Outgoing, 0.01), Conn(Incoming, 0), Keep.Candidate, ArbiterRule.LowerDeviceIdDialed),
        new("simultaneous dial, we are higher, theirs came first: keep theirs",
            High, Low, Conn(Incoming, 0.01), Conn(Outgoing, 0), Keep.Existing, ArbiterRule.LowerDeviceIdDialed),
    ];

    [Theory]
    [MemberData(nameof(Table))]
    public void Decides_by_the_table(Case c)
    {
        var decision = ConnectionArbiter.Decide(c.Local, c.Remote, c.Existing, c.Candidate, Now);
        Assert.Equal((c.Keep, c.Rule), (decision.Keep, decision.Rule));
        Assert.Equal("replacing connection", decision.CloseReason);
    }

    /// <summary>
    /// Two Lockstep nodes dial each other at once. Each end sees both connections, in either order; whatever the
    /// orders, both ends must keep the same connection: the one the lower device ID dialed.
    /// </summary>
    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void Both_ends_of_a_simultaneous_dial_keep_the_same_connection(bool lowSeesOwnFirst, bool highSeesOwnFirst)
    {
        var keptAtLow = Survivor(Low, High, lowSeesOwnFirst);
        var keptAtHigh = Survivor(High, Low, highSeesOwnFirst);
        Assert.Equal(keptAtLow, keptAtHigh);
        Assert.Equal(Low, keptAtLow);
    }

    /// <summary>Where Syncthing 1.19 switches (better priority, or existing older than 10 s), we switch too.</summary>
    [Theory]
    [InlineData(10, 10, 11, true)]
    [InlineData(10, 10, 9, false)]
    [InlineData(20, 10, 1, true)]
    [InlineData(10, 20, 1, false)]
    [InlineData(10, 20, 11, true)]
    public void Agrees_with_syncthing_wherever_syncthing_is_deterministic(int existingPriority, int candidatePriority, double ageSeconds, bool syncthingSwitches)
    {
        Assert.Equal(syncthingSwitches, existingPriority > candidatePriority || ageSeconds > 10);
        foreach (var (local, remote) in new[] { (Low, High), (High, Low) })
        foreach (var (existingDir, candidateDir) in new[] { (Outgoing, Incoming), (Incoming, Outgoing) })
        {
            var decision = ConnectionArbiter.Decide(local, remote, Conn(existingDir, ageSeconds, existingPriority),
                Conn(candidateDir, 0, candidatePriority), Now);
            if (syncthingSwitches)
                Assert.Equal(Keep.Candidate, decision.Keep);
            else if (existingPriority != candidatePriority)
                Assert.Equal(Keep.Existing, decision.Keep);
        }
    }

    /// <summary>Which device dialed the connection <paramref name="local"/> keeps when it sees both.</summary>
    private static DeviceId Survivor(DeviceId local, DeviceId remote, bool ownFirst)
    {
        var own = Conn(Outgoing, 0.02);
        var theirs = Conn(Incoming, 0.01);
        var (existing, candidate) = ownFirst ? (own, theirs) : (theirs with { StartedAt = own.StartedAt }, own with { StartedAt = theirs.StartedAt });
        var decision = ConnectionArbiter.Decide(local, remote, existing, candidate, Now);
        var kept = decision.Keep == Keep.Existing ? existing : candidate;
        return kept.Direction == Outgoing ? local : remote;
    }

    private static DeviceId Id(byte first)
    {
        var bytes = new byte[32];
        bytes[0] = first;
        return new DeviceId(bytes);
    }
}
