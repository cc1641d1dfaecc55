using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Lockstep.FileSystem.Ignore;

/// <summary>
/// A folder's ignore patterns, read from <c>.stignore</c> with Syncthing's syntax and semantics: the first
/// line that matches a name decides; <c>!</c> un-ignores; <c>(?i)</c> folds case; <c>(?d)</c> marks files
/// that may be deleted when they block a directory removal; a line matches at any depth unless it
/// starts with '/', and a line that matches a directory also matches everything below it.
/// Immutable and safe to share between threads; load a new one when the file changes (compare <see cref="Hash"/>).
/// </summary>
public sealed class IgnoreMatcher
{
    // Lines are tried in groups through one combined regex each: most names match no line at all and
    // are settled by a single DFA pass per group. Groups bound the size of each combined regex.
    private const int GroupSize = 32;

    private readonly IgnoreLine[] _lines;
    private readonly Regex[] _groups;

    private IgnoreMatcher(IReadOnlyList<IgnoreLine> lines)
    {
        _lines = [.. lines];
        _groups = new Regex[(_lines.Length + GroupSize - 1) / GroupSize];
        for (int g = 0; g < _groups.Length; g++)
        {
            var members = _lines.Skip(g * GroupSize).Take(GroupSize)
                .Select(l => (l.CaseInsensitive ? "(?i:" : "(?:") + l.RegexBody + ")");
            _groups[g] = new Regex(@"\A(?:" + string.Join("|", members) + @")\z", IgnoreLine.BaseOptions);
        }
        Patterns = Array.AsReadOnly(_lines.Select(l => l.Text).ToArray());
        Hash = ComputeHash(Patterns);
    }

    /// <summary>A matcher that ignores nothing (a folder without <c>.stignore</c>).</summary>
    public static IgnoreMatcher Empty { get; } = new([]);

    /// <summary>
    /// The effective pattern lines, in the order they are tried: includes spliced in; blank lines,
    /// comments and verbatim repeats left out.
    /// </summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>Lower-case hex SHA-256 of <see cref="Patterns"/>; equal hashes mean equal behaviour.</summary>
    public string Hash { get; }

    /// <summary>
    /// Reads <c>&lt;folderRoot&gt;/.stignore</c> and the files it includes. A missing <c>.stignore</c> gives
    /// <see cref="Empty"/>; any other I/O error on it propagates.
    /// </summary>
    /// <exception cref="IgnoreFileException">A bad pattern, a missing or unreadable include, an include cycle or repeat.</exception>
    public static IgnoreMatcher Load(string folderRoot) => Load(folderRoot, IgnoreSyntax.ForCurrentOs);

    /// <summary>
    /// Parses the text of a root ignore file; its includes are resolved relative to <paramref name="folderRoot"/>.
    /// <paramref name="sourceName"/> names the text in error messages.
    /// </summary>
    /// <exception cref="IgnoreFileException">A bad pattern, a missing or unreadable include, an include cycle or repeat.</exception>
    public static IgnoreMatcher Parse(string text, string folderRoot, string sourceName = ".stignore") =>
        Parse(text, folderRoot, sourceName, IgnoreSyntax.ForCurrentOs);

    /// <summary>
    /// Like <see cref="Load(string)"/>, but returns <paramref name="previous"/> when the effective lines are
    /// unchanged: reading the files is cheap, compiling the matcher is not (tens of ms), and the folder runner
    /// reloads before every scan so that edits of .stignore and its includes take effect at once.
    /// </summary>
    public static IgnoreMatcher Reload(string folderRoot, IgnoreMatcher? previous)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(folderRoot, ".stignore"));
        }
        catch (FileNotFoundException)
        {
            return Empty;
        }
        var lines = IgnoreFileReader.Read(text, folderRoot, ".stignore", IgnoreSyntax.ForCurrentOs);
        if (previous is not null && previous.Patterns.SequenceEqual(lines.Select(l => l.Text), StringComparer.Ordinal))
            return previous;
        return lines.Count == 0 ? Empty : new IgnoreMatcher(lines);
    }

    internal static IgnoreMatcher Load(string folderRoot, IgnoreSyntax syntax)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(folderRoot, ".stignore"));
        }
        catch (FileNotFoundException)
        {
            return Empty;
        }
        return Parse(text, folderRoot, ".stignore", syntax);
    }

    internal static IgnoreMatcher Parse(string text, string folderRoot, string sourceName, IgnoreSyntax syntax)
    {
        var lines = IgnoreFileReader.Read(text, folderRoot, sourceName, syntax);
        return lines.Count == 0 ? Empty : new IgnoreMatcher(lines);
    }

    /// <summary>
    /// Decides a folder-relative name ('/'-separated, NFC, no leading or trailing '/'). Only the name is
    /// looked at: a file below an ignored directory is ignored because the directory's line matches it too.
    /// </summary>
    public IgnoreResult Match(string name)
    {
        int line = FirstMatch(name);
        return line < 0 ? IgnoreResult.NotIgnored : _lines[line].Result;
    }

    /// <summary>
    /// True when the directory is ignored and no negated line could un-ignore anything below it, so a
    /// walker need not descend. Conservative: false whenever that cannot be ruled out.
    /// </summary>
    public bool CanSkipDirectory(string dirName)
    {
        int decider = FirstMatch(dirName);
        if (decider < 0 || _lines[decider].Negated)
            return false;
        // Every line that matches a directory matches all names below it too (see IgnoreLine), so
        // only negations tried before the deciding line can change a descendant's fate.
        string below = dirName + "/";
        for (int i = 0; i < decider; i++)
        {
            if (_lines[i].Negated && _lines[i].CouldMatchBelow(below))
                return false;
        }
        return true;
    }

    /// <summary>The index of the first line matching the name, or -1.</summary>
    private int FirstMatch(string name)
    {
        if (name.Length == 0 || name == ".")
            return -1;
        for (int g = 0; g < _groups.Length; g++)
        {
            if (!_groups[g].IsMatch(name))
                continue;
            int end = Math.Min(_lines.Length, (g + 1) * GroupSize);
            for (int i = g * GroupSize; i < end; i++)
            {
                if (_lines[i].IsMatch(name))
                    return i;
            }
        }
        return -1;
    }

    private static string ComputeHash(IReadOnlyList<string> patterns)
    {
        var text = new StringBuilder();
        foreach (string pattern in patterns)
            text.Append(pattern).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
