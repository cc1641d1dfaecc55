namespace Lockstep.FileSystem.Scanning;

/// <summary>
/// The outcome of a scan of a folder or sub-tree. <see cref="Seen"/> holds every non-ignored name found on
/// disk; <see cref="DoNotDelete"/> holds names and directory prefixes that must not be taken as deleted
/// because they could not be read or changed while hashed.
/// </summary>
public sealed class ScanResult
{
    public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);
    public HashSet<string> DoNotDelete { get; } = new(StringComparer.Ordinal);
    public List<ScanProblem> Problems { get; } = new();
    public long Hashed { get; set; }
    public long HashedBytes { get; set; }

    /// <summary>True if the name or one of its parent directories is protected from deletion.</summary>
    public bool IsProtected(string name)
    {
        if (DoNotDelete.Count == 0)
            return false;
        if (DoNotDelete.Contains(name))
            return true;
        for (int i = name.LastIndexOf('/'); i > 0; i = name.LastIndexOf('/', i - 1))
            if (DoNotDelete.Contains(name[..i]))
                return true;
        return false;
    }
}
