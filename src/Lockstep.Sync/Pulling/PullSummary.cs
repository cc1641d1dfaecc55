namespace Lockstep.Sync.Pulling;

/// <summary>What one pull pass did.</summary>
/// <param name="Applied">Items now at their global version locally.</param>
/// <param name="Errors">Items left for a later pass.</param>
/// <param name="Rescan">Local paths found changed behind the index: scanned before anything replaces them.</param>
/// <param name="Blocked">Why the pass stopped before it began (the mass-delete limit), or null.</param>
public sealed record PullSummary(int Applied, IReadOnlyList<PullError> Errors, IReadOnlyList<string> Rescan, string? Blocked)
{
    public static PullSummary Nothing { get; } = new(0, [], [], null);
}
