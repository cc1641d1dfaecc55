namespace Lockstep.FileSystem.Ignore;

/// <summary>
/// What the first matching <c>.stignore</c> line decided about a name. A name that is not ignored is
/// always exactly <see cref="NotIgnored"/>: the other flags only ever accompany <see cref="Ignored"/>.
/// </summary>
[Flags]
public enum IgnoreResult
{
    /// <summary>No line matched, or the first matching line was a <c>!</c> negation.</summary>
    NotIgnored = 0,

    /// <summary>The first matching line ignores the name.</summary>
    Ignored = 1,

    /// <summary>That line had the <c>(?d)</c> prefix: the file may be removed when it blocks deleting its directory.</summary>
    Deletable = 2,

    /// <summary>That line matched case-insensitively (<c>(?i)</c>, or always on Windows and macOS, as Syncthing does).</summary>
    CaseFolded = 4,
}
