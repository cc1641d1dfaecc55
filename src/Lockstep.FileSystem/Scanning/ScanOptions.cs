namespace Lockstep.FileSystem.Scanning;

/// <summary>Frozen scan settings. Defaults: all cores, permissions compared, batches of 1,000 items.</summary>
public sealed record ScanOptions
{
    /// <summary>How many files or blocks are hashed at once. Defaults to the number of cores.</summary>
    public int HashParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Folder setting ignorePerms: permission changes alone are not changes.</summary>
    public bool IgnorePermissions { get; init; }

    /// <summary>Items handed to the consumer at a time, so a huge scan is committed in steps.</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>
    /// Whether <see cref="ScanResult.Seen"/> collects every name walked. A caller whose <see cref="ICurrentFiler"/>
    /// already tracks which indexed names were looked up (a full rescan) turns it off, which saves a set of
    /// every name in the folder (about 8 MB per 100,000 files).
    /// </summary>
    public bool RecordSeen { get; init; } = true;

    /// <summary>
    /// Names hashed whatever their metadata says (Syncthing's forced rescan): a file whose bytes were found to differ
    /// from the index although its size and mtime did not move.
    /// </summary>
    public IReadOnlySet<string>? ForceRehash { get; init; }

    /// <summary>Test hook: runs after a file was hashed and before it is checked for changes (name, path).</summary>
    internal Action<string, string>? AfterHashing { get; init; }
}
