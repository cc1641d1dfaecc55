namespace Lockstep.Connections.Dialing;

/// <summary>
/// Shape of <see cref="ReconnectBackoff"/>: after a reset the first round goes at once, then waits grow
/// <see cref="Initial"/>, ×<see cref="Factor"/>, … up to <see cref="Max"/>, each moved by up to ±<see cref="Jitter"/>
/// so that devices that lost each other together do not redial in lockstep. Each value is checked when set.
/// </summary>
public sealed record BackoffPolicy
{
    public static BackoffPolicy Default { get; } = new();

    /// <summary>The first non-zero wait. Defaults to 1 s.</summary>
    public TimeSpan Initial
    {
        get;
        init => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(Initial), value, "must be positive");
    } = TimeSpan.FromSeconds(1);

    /// <summary>Growth per round. Defaults to 2.</summary>
    public double Factor
    {
        get;
        init => field = value >= 1 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(Factor), value, "must be at least 1");
    } = 2;

    /// <summary>The longest wait, jitter included. Defaults to 60 s, Syncthing's default redial interval.</summary>
    public TimeSpan Max
    {
        get;
        init => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(Max), value, "must be positive");
    } = TimeSpan.FromSeconds(60);

    /// <summary>Relative jitter, 0 to below 1. Defaults to 0.2 (±20%).</summary>
    public double Jitter
    {
        get;
        init => field = value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(nameof(Jitter), value, "must be in [0, 1)");
    } = 0.2;

    /// <summary>A connection that lived longer than this resets the backoff. Defaults to 10 s.</summary>
    public TimeSpan ResetAfter
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(ResetAfter), value, "must not be negative");
    } = TimeSpan.FromSeconds(10);
}
