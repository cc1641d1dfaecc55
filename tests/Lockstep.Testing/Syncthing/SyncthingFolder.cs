namespace Lockstep.Testing;

/// <summary>
/// One folder in Syncthing's config. Every child element is written explicitly: a hand-written <c>&lt;folder&gt;</c>
/// gets Go zero values for what it omits, which silently turned maxConflicts into 0 (bep-v1.md §7).
/// </summary>
/// <param name="Id">The folder ID both peers must agree on.</param>
public sealed record SyncthingFolder(string Id)
{
    /// <summary>Defaults to the ID.</summary>
    public string? Label { get; init; }

    /// <summary>Absolute path; defaults to <c>HOME/folders/ID</c>. Created, with its marker, before Syncthing starts.</summary>
    public string? Path { get; init; }

    public SyncthingFolderType Type { get; init; } = SyncthingFolderType.SendReceive;

    /// <summary>Periodic full rescan. Defaults to an hour: tests scan on demand with <see cref="SyncthingRest.ScanAsync"/>.</summary>
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Off by default, for determinism (bep-v1.md §7).</summary>
    public bool FsWatcherEnabled { get; init; }

    public bool IgnorePerms { get; init; }

    /// <summary>Written explicitly; 0 would make Syncthing delete conflict losers instead of keeping copies.</summary>
    public int MaxConflicts { get; init; } = 10;

    public SyncthingPullOrder Order { get; init; } = SyncthingPullOrder.Random;

    public bool Paused { get; init; }

    /// <summary>Device IDs the folder is shared with besides Syncthing itself; null shares it with every configured peer.</summary>
    public IReadOnlyList<string>? SharedWith { get; init; }

    /// <summary>Creates <c>.stfolder</c> in the folder (Syncthing refuses a folder whose marker is missing).</summary>
    public bool CreateMarker { get; init; } = true;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Id))
            throw new ArgumentException("a folder needs an ID");
        if (Path is not null && !System.IO.Path.IsPathFullyQualified(Path))
            throw new ArgumentException($"folder {Id}: path must be absolute, got '{Path}'");
        if (RescanInterval < TimeSpan.Zero)
            throw new ArgumentException($"folder {Id}: rescan interval must not be negative");
        if (MaxConflicts < -1)
            throw new ArgumentException($"folder {Id}: maxConflicts is -1 (unlimited) or more");
    }
}
