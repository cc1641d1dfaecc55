namespace Lockstep.Node.Config;

/// <summary>
/// The config-file spellings of <see cref="FolderType"/> and <see cref="Compression"/>, shared by the
/// YAML file, the CLI flags (<c>--type</c>, <c>--compression</c>) and the REST config so they never drift apart.
/// </summary>
public static class ConfigEnums
{
    /// <summary>The folder types as the config file spells them, in declaration order.</summary>
    public static IReadOnlyList<string> FolderTypeNames { get; } = ["sendreceive", "sendonly", "receiveonly", "observe"];

    /// <summary>The compression modes as the config file spells them, in declaration order.</summary>
    public static IReadOnlyList<string> CompressionNames { get; } = ["metadata", "never", "always"];

    /// <summary>The pull orders as the config file spells them (Syncthing's <c>order</c> values), in declaration order.</summary>
    public static IReadOnlyList<string> PullOrderNames { get; } = ["random", "alphabetic", "smallestFirst", "largestFirst", "oldestFirst", "newestFirst"];

    /// <summary>The config-file spelling, e.g. <c>smallestFirst</c>.</summary>
    public static string ToConfigName(this Lockstep.Sync.Pulling.PullOrder order) => NameOf(PullOrderNames, (int)order, order);

    /// <summary>Parses a config-file spelling, ignoring case; false for anything else.</summary>
    public static bool TryParsePullOrder(string? text, out Lockstep.Sync.Pulling.PullOrder order)
    {
        var index = IndexOf(PullOrderNames, text);
        order = (Lockstep.Sync.Pulling.PullOrder)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>The config-file spelling, e.g. <c>sendreceive</c>.</summary>
    public static string ToConfigName(this FolderType type) => NameOf(FolderTypeNames, (int)type, type);

    /// <summary>The config-file spelling, e.g. <c>metadata</c>.</summary>
    public static string ToConfigName(this Compression compression) => NameOf(CompressionNames, (int)compression, compression);

    /// <summary>Parses a config-file spelling, ignoring case; false for anything else.</summary>
    public static bool TryParseFolderType(string? text, out FolderType type)
    {
        var index = IndexOf(FolderTypeNames, text);
        type = (FolderType)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>Parses a config-file spelling, ignoring case; false for anything else.</summary>
    public static bool TryParseCompression(string? text, out Compression compression)
    {
        var index = IndexOf(CompressionNames, text);
        compression = (Compression)Math.Max(index, 0);
        return index >= 0;
    }

    private static string NameOf<T>(IReadOnlyList<string> names, int index, T value) =>
        index >= 0 && index < names.Count
            ? names[index]
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a defined {typeof(T).Name}");

    private static int IndexOf(IReadOnlyList<string> names, string? text)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], text?.Trim(), StringComparison.OrdinalIgnoreCase))
                return i;
        return -1;
    }
}
