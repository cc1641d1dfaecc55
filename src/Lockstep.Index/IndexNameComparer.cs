namespace Lockstep.Index;

/// <summary>
/// The order the index returns names in: SQLite's BINARY collation on UTF-8, which is Unicode code point
/// order. It equals <see cref="StringComparer.Ordinal"/> (UTF-16 code units) except where a character
/// outside the BMP (a surrogate pair, e.g. an emoji) meets one in U+E000–U+FFFF at the same position: code
/// point order puts the emoji after, UTF-16 order before. Code that merges a sorted directory walk with
/// <see cref="FolderIndex.EnumerateLocal"/> or <see cref="FolderIndex.EnumerateLocalMeta"/> sorts with this.
/// </summary>
public sealed class IndexNameComparer : IComparer<string>
{
    /// <summary>The one instance; the comparer has no state.</summary>
    public static readonly IndexNameComparer Instance = new();

    private IndexNameComparer()
    {
    }

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
            return 0;
        if (x is null)
            return -1;
        if (y is null)
            return 1;
        int i = x.AsSpan().CommonPrefixLength(y);
        if (i == x.Length || i == y.Length)
            return x.Length - y.Length;
        return Fixup(x[i]) - Fixup(y[i]);
    }

    // Moves surrogates (D800–DFFF) above E000–FFFF and everything from E000 down by 0x800, so comparing
    // code units compares code points (the first differing units decide; lower units never matter).
    private static int Fixup(char c) => c >= 0xD800 ? (c >= 0xE000 ? c - 0x800 : c + 0x2000) : c;
}
