using Lockstep.Connections.Tls;
using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Arbitration;

/// <summary>
/// One connection per device pair: what to do when a second authenticated connection to a device arrives while one
/// exists. A pure function of facts both ends can see, so both ends reach the same answer.
/// </summary>
/// <remarks>
/// Rules, first match wins ("young" = the existing connection is at most 10 s old):
/// <list type="number">
/// <item>The new connection has a better priority → switch. (Syncthing 1.19.)</item>
/// <item>The existing one is older than 10 s → switch. (Syncthing 1.19, <c>minConnectionReplaceAge</c>.)</item>
/// <item>The new one has a worse priority → keep the existing one. (Syncthing 1.19.)</item>
/// <item>The same device dialed both → keep the newer. A device dials only when it has no connection, so if it dialed
///       again, its end of the first one is gone; keeping the new one avoids waiting 10 s on a half-dead connection.</item>
/// <item>Each device dialed one (both dialed at once) → keep the one dialed by the device with the lower device ID.</item>
/// </list>
/// <para><b>Two Lockstep nodes converge in one step.</b> During a simultaneous dial both connections are young at both
/// ends, and rule 5 depends only on who dialed each connection and on the two IDs, which both ends know, not on the
/// order in which the connections happened to complete there. So both keep the same connection and close the same
/// duplicate with "replacing connection". Rules 1–4 likewise depend only on shared facts (the age rule on each end's
/// own clock, which disagree only within a few milliseconds of the 10 s edge; see below for what that costs).</para>
/// <para><b>With a Syncthing 1.19 peer it converges too, possibly one round later.</b> Syncthing applies rules 1–3
/// (identical to ours) and otherwise keeps whichever connection finished its Hello first <i>at its end</i>, closing
/// the other. That order is not visible from here, so in a simultaneous dial the two ends may keep different
/// connections. Then each closes the one the other kept, both end with none, and both dial again. That redial
/// converges: Syncthing dials a device only while it has no connection to it, on its own fixed schedule
/// (<c>reconnectionIntervalS</c>, with a 1-2-4-8 s ramp-up at start), while our redial waits a jittered
/// <see cref="Dialing.ReconnectBackoff"/> delay, so the two rarely collide again, and a single dial (or one completing
/// while the other is in flight, which Syncthing settles by the same rules 1–3) leaves exactly one connection. The
/// same argument covers the 10 s edge between two Lockstep nodes. Syncthing peers among themselves have exactly this
/// behaviour; we never do worse, and between Lockstep nodes we do better.</para>
/// </remarks>
public static class ConnectionArbiter
{
    /// <summary>Syncthing's <c>minConnectionReplaceAge</c>: an existing connection older than this yields to a new one.</summary>
    public static readonly TimeSpan MinReplaceAge = TimeSpan.FromSeconds(10);

    /// <param name="local">Our device ID.</param>
    /// <param name="remote">The peer's device ID (both connections go to it).</param>
    /// <param name="existing">The connection we have.</param>
    /// <param name="candidate">The connection that just arrived.</param>
    /// <param name="now">The current time, on the clock that stamped <see cref="ConnectionFacts.StartedAt"/>.</param>
    public static ArbiterDecision Decide(DeviceId local, DeviceId remote, ConnectionFacts existing, ConnectionFacts candidate,
        DateTimeOffset now)
    {
        if (candidate.Priority < existing.Priority)
            return new ArbiterDecision(Keep.Candidate, ArbiterRule.BetterPriority);
        if (now - existing.StartedAt > MinReplaceAge)
            return new ArbiterDecision(Keep.Candidate, ArbiterRule.ExistingStale);
        if (candidate.Priority > existing.Priority)
            return new ArbiterDecision(Keep.Existing, ArbiterRule.WorsePriority);
        if (existing.Direction == candidate.Direction)
            return new ArbiterDecision(Keep.Candidate, ArbiterRule.SameDialerNewer);

        var lower = local.CompareTo(remote) < 0 ? local : remote;
        var existingDialer = existing.Direction == ConnectionDirection.Outgoing ? local : remote;
        return new ArbiterDecision(existingDialer == lower ? Keep.Existing : Keep.Candidate, ArbiterRule.LowerDeviceIdDialed);
    }
}
