using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Lockstep.FileSystem.Ignore;

/// <summary>
/// Writes parsed globs as .NET regular expressions (no anchors; the caller adds <c>\A</c>/<c>\z</c>).
/// The output uses only what <see cref="RegexOptions.NonBacktracking"/> supports, and expects
/// <see cref="RegexOptions.Singleline"/> so that <c>.</c> also matches '\n' (a legal file-name character).
/// </summary>
internal static class GlobRegex
{
    private const string SurrogatePair = @"[\uD800-\uDBFF][\uDC00-\uDFFF]";

    // '?' and negated classes consume a whole code point, never half a surrogate pair.
    private const string OneChar = "(?:" + SurrogatePair + @"|[^/\uD800-\uDFFF])";

    /// <summary>A regex matching exactly the names the glob matches.</summary>
    public static string Full(IReadOnlyList<GlobNode> nodes)
    {
        var sb = new StringBuilder();
        foreach (var node in nodes)
            sb.Append(Full(node));
        return sb.ToString();
    }

    /// <summary>
    /// A regex matching every prefix of every name the glob matches. Used to ask whether a negated line
    /// could match anything below a directory: it can only if "dir/" is such a prefix.
    /// </summary>
    public static string Prefix(IReadOnlyList<GlobNode> nodes)
    {
        // Built from the end: the prefixes of (a rest) are the prefixes that stop inside a,
        // plus all of a followed by a prefix of rest.
        var atoms = Atoms(nodes);
        string suffix = "";
        for (int i = atoms.Count - 1; i >= 0; i--)
            suffix = "(?:" + Partial(atoms[i]) + "|" + Full(atoms[i]) + suffix + ")";
        return suffix;
    }

    private static string Full(GlobNode node) => node switch
    {
        GlobNode.Literal literal => Regex.Escape(literal.Text),
        GlobNode.AnyInSegment => "[^/]*",
        GlobNode.AnyPath => ".*",
        GlobNode.OneChar => OneChar,
        GlobNode.CharClass cls => Class(cls),
        GlobNode.Alternatives alt => "(?:" + string.Join("|", alt.Options.Select(Full)) + ")",
        _ => throw new InvalidOperationException($"unknown glob node {node}"),
    };

    /// <summary>
    /// The prefixes of one atom's matches that the "all of it, then a prefix of the rest" branch does not
    /// already cover. For a single character that is only the empty string; for <c>*</c> and <c>**</c>
    /// every prefix of a match is itself a match, so nothing; for alternatives, a stop inside any option.
    /// </summary>
    private static string Partial(GlobNode atom) =>
        atom is GlobNode.Alternatives alt ? "(?:" + string.Join("|", alt.Options.Select(Prefix)) + ")" : "";

    /// <summary>The nodes with literals split into one node per code point, so a prefix can stop mid-literal.</summary>
    private static List<GlobNode> Atoms(IReadOnlyList<GlobNode> nodes)
    {
        var atoms = new List<GlobNode>();
        foreach (var node in nodes)
        {
            if (node is GlobNode.Literal literal)
            {
                foreach (var rune in literal.Text.EnumerateRunes())
                    atoms.Add(new GlobNode.Literal(rune.ToString()));
            }
            else
            {
                atoms.Add(node);
            }
        }
        return atoms;
    }

    private static string Class(GlobNode.CharClass cls)
    {
        var bmp = new StringBuilder();
        var astral = new List<string>();
        foreach (var (lo, hi) in cls.Ranges)
        {
            if (hi > 0xFFFF)
            {
                // The parser admits only single positive code points up here; match their pair literally.
                astral.Add(Regex.Escape(char.ConvertFromUtf32(lo)));
                continue;
            }
            bmp.Append(Escape(lo));
            if (hi != lo)
                bmp.Append('-').Append(Escape(hi));
        }
        if (cls.Negated)
            return "(?:" + SurrogatePair + "|[^" + bmp + @"\uD800-\uDFFF])";
        if (bmp.Length > 0)
            astral.Insert(0, "[" + bmp + "]");
        return astral.Count == 1 ? astral[0] : "(?:" + string.Join("|", astral) + ")";
    }

    private static string Escape(int bmpChar) => "\\u" + bmpChar.ToString("X4", CultureInfo.InvariantCulture);
}
