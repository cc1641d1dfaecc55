namespace Lockstep.FileSystem.Ignore;

/// <summary>
/// One element of a parsed glob. The syntax is the one Syncthing's glob library accepts, with '/' as
/// the only separator: <c>*</c> stays inside one path segment, <c>**</c> crosses segments.
/// </summary>
internal abstract record GlobNode
{
    private GlobNode()
    {
    }

    /// <summary>Characters that match themselves (escapes already resolved).</summary>
    public sealed record Literal(string Text) : GlobNode;

    /// <summary><c>*</c>: any run of characters other than '/'.</summary>
    public sealed record AnyInSegment : GlobNode
    {
        public static AnyInSegment Instance { get; } = new();
    }

    /// <summary><c>**</c>: any run of characters, '/' included.</summary>
    public sealed record AnyPath : GlobNode
    {
        public static AnyPath Instance { get; } = new();
    }

    /// <summary><c>?</c>: one character (one code point) other than '/'.</summary>
    public sealed record OneChar : GlobNode
    {
        public static OneChar Instance { get; } = new();
    }

    /// <summary>
    /// <c>[abc]</c>, <c>[a-z]</c>, <c>[!a-z]</c>: one code point in (or, negated, not in) the ranges.
    /// Like Syncthing's glob library, a negated class also matches '/'.
    /// </summary>
    public sealed record CharClass(bool Negated, IReadOnlyList<(int Lo, int Hi)> Ranges) : GlobNode;

    /// <summary><c>{a,b,c}</c>: any one of the alternatives, each a glob of its own.</summary>
    public sealed record Alternatives(IReadOnlyList<IReadOnlyList<GlobNode>> Options) : GlobNode;
}
