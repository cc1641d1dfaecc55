namespace Lockstep.Sync.Versioning;

/// <summary>How a folder keeps the bytes a remote change replaces or deletes (Syncthing's file versioning).</summary>
public enum VersioningKind
{
    None,
    /// <summary>The last replaced copy of each file, kept <see cref="VersioningSettings.CleanoutDays"/> days (0: forever).</summary>
    Trashcan,
    /// <summary>The last <see cref="VersioningSettings.Keep"/> copies of each file.</summary>
    Simple,
    /// <summary>Copies thinned by age: one per 30 s for an hour, per hour for a day, per day for 30 days, per week until MaxAge.</summary>
    Staggered,
}

/// <summary>A folder's versioning, as the config gives it (Syncthing's parameter names and defaults).</summary>
public sealed record VersioningSettings
{
    public VersioningKind Kind { get; init; } = VersioningKind.None;
    public int Keep { get; init; } = 5;
    public int CleanoutDays { get; init; }
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(365);
    public TimeSpan CleanupInterval { get; init; } = TimeSpan.FromHours(1);

    public static VersioningSettings None { get; } = new();
}
