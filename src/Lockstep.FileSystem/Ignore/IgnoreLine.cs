using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Lockstep.FileSystem.Ignore;

/// <summary>
/// One pattern line of an ignore file, compiled. Syncthing expands a line into up to four globs
/// (<c>p</c>, <c>**/p</c>, <c>p/**</c>, <c>**/p/**</c>); here they become one regex of the form
/// <c>(?:.*/)? p (?:/.*)?</c>, whose optional parts are:
/// <list type="bullet">
/// <item>the leading <c>(?:.*/)?</c>, unless the line starts with '/' (anchored to the folder root);
/// a leading <c>**/</c> in the line is folded into it;</item>
/// <item>the trailing <c>(?:/.*)?</c> ("and everything below"), unless the line ends with '/' or '/**'.
/// A trailing '/' means "the contents, not the directory itself" and becomes <c>/**</c>.</item>
/// </list>
/// Either way a line that matches a directory also matches every name below it: the regex ends in
/// <c>(?:/.*)?</c> or in <c>.*</c>. <see cref="IgnoreMatcher.CanSkipDirectory"/> relies on that.
/// </summary>
internal sealed class IgnoreLine
{
    // NonBacktracking: a glob such as *a*a*a*a*b is exponential for a backtracking engine (measured: 25 s on
    // one 200-character name) and linear here; its lazily built DFA is also faster on typical patterns.
    internal const RegexOptions BaseOptions =
        RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.ExplicitCapture;

    private readonly IReadOnlyList<GlobNode> _nodes;
    private readonly Lazy<Regex> _regex;
    private readonly Lazy<Regex> _prefixRegex;

    private IgnoreLine(string text, bool negated, bool deletable, bool caseInsensitive, IReadOnlyList<GlobNode> nodes)
    {
        Text = text;
        Negated = negated;
        CaseInsensitive = caseInsensitive;
        _nodes = nodes;
        RegexBody = GlobRegex.Full(nodes);
        Result = negated ? IgnoreResult.NotIgnored
            : IgnoreResult.Ignored | (deletable ? IgnoreResult.Deletable : 0) | (caseInsensitive ? IgnoreResult.CaseFolded : 0);
        var options = BaseOptions | (caseInsensitive ? RegexOptions.IgnoreCase : 0);
        _regex = new Lazy<Regex>(() => new Regex(@"\A" + RegexBody + @"\z", options));
        _prefixRegex = new Lazy<Regex>(() => new Regex(@"\A" + GlobRegex.Prefix(_nodes) + @"\z", options));
    }

    /// <summary>The line as written (trimmed, NFC).</summary>
    public string Text { get; }

    public bool Negated { get; }

    public bool CaseInsensitive { get; }

    /// <summary>What a match of this line decides.</summary>
    public IgnoreResult Result { get; }

    /// <summary>The unanchored regex for the whole line, for embedding in a combined regex.</summary>
    public string RegexBody { get; }

    public bool IsMatch(string name) => _regex.Value.IsMatch(name);

    /// <summary>Whether this line could match some name below <paramref name="dirWithSlash"/> (which ends in '/').</summary>
    public bool CouldMatchBelow(string dirWithSlash) => _prefixRegex.Value.IsMatch(dirWithSlash);

    /// <summary>Parses one trimmed, non-comment, non-include line.</summary>
    public static bool TryParse(string text, IgnoreSyntax syntax, [NotNullWhen(true)] out IgnoreLine? line, [NotNullWhen(false)] out string? error)
    {
        line = null;
        bool negated = false, foldCase = false, deletable = false;
        var rest = text.AsSpan();
        // Prefixes come in any order, each at most once, as in Syncthing; a repeat is part of the pattern.
        while (true)
        {
            if (!negated && rest.StartsWith("!"))
            {
                negated = true;
                rest = rest[1..];
            }
            else if (!foldCase && rest.StartsWith("(?i)"))
            {
                foldCase = true;
                rest = rest[4..];
            }
            else if (!deletable && rest.StartsWith("(?d)"))
            {
                deletable = true;
                rest = rest[4..];
            }
            else
            {
                break;
            }
        }
        if (rest.IsEmpty)
        {
            error = "the prefixes are not followed by a pattern";
            return false;
        }

        string core = rest.ToString();
        bool descend = true;
        if (core.EndsWith("/**", StringComparison.Ordinal))
        {
            descend = false;
        }
        else if (core.EndsWith('/'))
        {
            core += "**";
            descend = false;
        }
        bool anchored = core.StartsWith('/');
        if (anchored)
            core = core[1..];
        else if (core.StartsWith("**/", StringComparison.Ordinal))
            core = core[3..];

        if (!GlobParser.TryParse(core, out var glob, out error))
            return false;

        var nodes = new List<GlobNode>(glob.Count + 2);
        if (!anchored)
            nodes.Add(new GlobNode.Alternatives([[], [GlobNode.AnyPath.Instance, new GlobNode.Literal("/")]]));
        nodes.AddRange(glob);
        if (descend)
            nodes.Add(new GlobNode.Alternatives([[], [new GlobNode.Literal("/"), GlobNode.AnyPath.Instance]]));
        line = new IgnoreLine(text, negated, deletable, foldCase || syntax.FoldCaseByDefault, nodes);
        return true;
    }
}
