namespace Lockstep.Testing;

/// <summary>A clock whose "now" the test sets; timers still run on real time (no FakeTimeProvider package here).</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
