namespace Lockstep.Sync.Pulling;

/// <summary>An item a pull could not apply this time, and why (naming the path and, where there is one, the fix).</summary>
public sealed record PullError(string Name, string Message);
