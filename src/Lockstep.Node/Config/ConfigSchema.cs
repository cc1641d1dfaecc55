namespace Lockstep.Node.Config;

/// <summary>
/// The keys the config file knows, per level, spelled as ARCHITECTURE.md §4 spells them (Syncthing's names).
/// The reader rejects anything else; environment overrides resolve their case-insensitive names against it.
/// </summary>
internal static class ConfigSchema
{
    public static readonly IReadOnlyList<(string Name, ConfigKeyKind Kind)> Root =
    [
        ("name", ConfigKeyKind.Text),
        ("listen", ConfigKeyKind.Text),
        ("logLevel", ConfigKeyKind.Text),
        ("api", ConfigKeyKind.Section),
        ("devices", ConfigKeyKind.Items),
        ("folders", ConfigKeyKind.Items),
    ];

    public static readonly IReadOnlyList<(string Name, ConfigKeyKind Kind)> Api =
    [
        ("address", ConfigKeyKind.Text),
        ("key", ConfigKeyKind.Text),
        ("metricsNoAuth", ConfigKeyKind.Scalar),
        ("unixSocket", ConfigKeyKind.Text),
        ("tls", ConfigKeyKind.Scalar),
        ("corsOrigins", ConfigKeyKind.List),
    ];

    public static readonly IReadOnlyList<(string Name, ConfigKeyKind Kind)> Device =
    [
        ("id", ConfigKeyKind.Text),
        ("name", ConfigKeyKind.Text),
        ("addresses", ConfigKeyKind.List),
        ("introducer", ConfigKeyKind.Scalar),
        ("compression", ConfigKeyKind.Scalar),
    ];

    public static readonly IReadOnlyList<(string Name, ConfigKeyKind Kind)> Folder =
    [
        ("id", ConfigKeyKind.Text),
        ("label", ConfigKeyKind.Text),
        ("path", ConfigKeyKind.Text),
        ("type", ConfigKeyKind.Scalar),
        ("devices", ConfigKeyKind.List),
        ("rescanIntervalS", ConfigKeyKind.Scalar),
        ("fsWatcherEnabled", ConfigKeyKind.Scalar),
        ("fsWatcherDelayS", ConfigKeyKind.Scalar),
        ("ignorePerms", ConfigKeyKind.Scalar),
        ("maxConflicts", ConfigKeyKind.Scalar),
        ("maxDeletePercent", ConfigKeyKind.Scalar),
        ("order", ConfigKeyKind.Scalar),
        ("pullerMaxPendingKiB", ConfigKeyKind.Scalar),
        ("versioning", ConfigKeyKind.Section),
        ("conflictStrategy", ConfigKeyKind.Scalar),
        ("scanProgressIntervalS", ConfigKeyKind.Scalar),
    ];

    public static readonly IReadOnlyList<(string Name, ConfigKeyKind Kind)> Versioning =
    [
        ("type", ConfigKeyKind.Scalar),
        ("params", ConfigKeyKind.Section),
        ("cleanupIntervalS", ConfigKeyKind.Scalar),
    ];

    public static readonly IReadOnlyList<(string Name, ConfigKeyKind Kind)> VersioningParams =
    [
        ("keep", ConfigKeyKind.Scalar),
        ("cleanoutDays", ConfigKeyKind.Scalar),
        ("maxAge", ConfigKeyKind.Scalar),
    ];

    /// <summary>The keys allowed in the mapping at <paramref name="path"/> (a key path such as <c>folders[2]</c>).</summary>
    public static IReadOnlyList<(string Name, ConfigKeyKind Kind)> At(string path) => path switch
    {
        "" => Root,
        "api" => Api,
        _ when path.StartsWith("folders[", StringComparison.Ordinal) && path.EndsWith(".versioning.params", StringComparison.Ordinal) => VersioningParams,
        _ when path.StartsWith("folders[", StringComparison.Ordinal) && path.EndsWith(".versioning", StringComparison.Ordinal) => Versioning,
        _ when path.StartsWith("devices[", StringComparison.Ordinal) => Device,
        _ when path.StartsWith("folders[", StringComparison.Ordinal) => Folder,
        _ => throw new ArgumentException($"no mapping at '{path}'", nameof(path)),
    };

    /// <summary>The key spelled <paramref name="name"/> ignoring case, or null.</summary>
    public static (string Name, ConfigKeyKind Kind)? Find(IReadOnlyList<(string Name, ConfigKeyKind Kind)> keys, string name)
    {
        foreach (var key in keys)
            if (string.Equals(key.Name, name, StringComparison.OrdinalIgnoreCase))
                return key;
        return null;
    }

    /// <summary>
    /// The known key nearest to a misspelt one (case-insensitive edit distance), or null when none is close
    /// enough to be a plausible typo; then the caller lists all keys instead of guessing.
    /// </summary>
    public static string? Closest(IReadOnlyList<(string Name, ConfigKeyKind Kind)> keys, string given)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var (name, _) in keys)
        {
            var d = Distance(name.ToLowerInvariant(), given.ToLowerInvariant());
            if (d < bestDistance)
                (best, bestDistance) = (name, d);
        }
        return bestDistance <= Math.Max(2, given.Length / 3) ? best : null;
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions each cost one.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
