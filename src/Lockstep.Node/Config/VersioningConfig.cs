using Lockstep.Sync.Versioning;

namespace Lockstep.Node.Config;

/// <summary>
/// A folder's <c>versioning:</c> section, shaped as Syncthing's (type, params, cleanupIntervalS):
/// <c>trashcan</c> (params.cleanoutDays), <c>simple</c> (params.keep), <c>staggered</c> (params.maxAge in seconds).
/// </summary>
public sealed record VersioningConfig
{
    public VersioningKind Type { get; init; } = VersioningKind.None;
    public int Keep { get; init; } = 5;
    public int CleanoutDays { get; init; }
    public long MaxAgeS { get; init; } = 365L * 24 * 3600;
    public double CleanupIntervalS { get; init; } = 3600;

    public static VersioningConfig None { get; } = new();

    /// <summary>The spellings of <see cref="VersioningKind"/> in the file ("" is none, as Syncthing's empty type).</summary>
    public static IReadOnlyList<string> TypeNames { get; } = ["none", "trashcan", "simple", "staggered"];

    public VersioningSettings ToSettings() => new()
    {
        Kind = Type, Keep = Keep, CleanoutDays = CleanoutDays, MaxAge = TimeSpan.FromSeconds(MaxAgeS),
        CleanupInterval = TimeSpan.FromSeconds(CleanupIntervalS),
    };
}
