using System.Text;

namespace Lockstep.FileSystem.Ignore;

/// <summary>
/// Turns the text of <c>.stignore</c> into its effective pattern lines, in order, following
/// <c>#include</c>. Line rules, as Syncthing reads them: each line is trimmed; blank lines and lines
/// starting with <c>//</c> are skipped; a line starting with <c>#include</c> names a file whose lines are
/// spliced in at that point (the name is relative to the including file's directory, the patterns
/// stay relative to the folder root); every other line is a pattern, including other lines that
/// start with '#' (they are not comments in Syncthing); a pattern repeated verbatim is dropped, since
/// only its first occurrence can ever decide anything.
/// </summary>
internal sealed class IgnoreFileReader
{
    /// <summary>
    /// How many files may be open in one include chain, the root file included. Deep enough for any sane
    /// layout; stops symlink loops, which yield a new path on every round and so never look like a cycle.
    /// </summary>
    internal const int MaxIncludeDepth = 32;

    private readonly string _folderRoot;
    private readonly IgnoreSyntax _syntax;
    private readonly List<IgnoreLine> _lines = [];
    private readonly HashSet<string> _seenPatterns = new(StringComparer.Ordinal);
    private readonly HashSet<string> _includedFiles = new(StringComparer.Ordinal);
    private readonly List<string> _includeStack = [];

    private IgnoreFileReader(string folderRoot, IgnoreSyntax syntax)
    {
        _folderRoot = Path.GetFullPath(folderRoot);
        _syntax = syntax;
    }

    /// <summary>Reads the root file's text; throws <see cref="IgnoreFileException"/> on the first bad line.</summary>
    public static IReadOnlyList<IgnoreLine> Read(string text, string folderRoot, string sourceName, IgnoreSyntax syntax)
    {
        var reader = new IgnoreFileReader(folderRoot, syntax);
        string rootPath = Path.GetFullPath(Path.Combine(reader._folderRoot, sourceName));
        reader._includedFiles.Add(rootPath);
        reader.ReadFile(text, rootPath, sourceName, reader._folderRoot);
        return reader._lines;
    }

    private void ReadFile(string text, string fullPath, string displayName, string directory)
    {
        _includeStack.Add(fullPath);
        string[] rawLines = text.TrimStart('\uFEFF').Split('\n');
        for (int i = 0; i < rawLines.Length; i++)
        {
            int lineNumber = i + 1;
            string line = rawLines[i].Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
                continue;
            if (_syntax.BackslashIsSeparator)
                line = line.Replace('\\', '/');
            if (line.StartsWith("#include", StringComparison.Ordinal))
            {
                Include(line, displayName, lineNumber, directory);
                continue;
            }
            // Names are compared in NFC (the scanner normalises them), so the patterns must be too.
            line = line.Normalize(NormalizationForm.FormC);
            if (!_seenPatterns.Add(line))
                continue;
            if (!IgnoreLine.TryParse(line, _syntax, out var parsed, out string? error))
                throw IgnoreFileException.InvalidPattern(displayName, lineNumber, line, error);
            _lines.Add(parsed);
        }
        _includeStack.RemoveAt(_includeStack.Count - 1);
    }

    private void Include(string line, string displayName, int lineNumber, string directory)
    {
        string rest = line["#include".Length..];
        string includeName = rest.Trim();
        if (includeName.Length == 0 || !char.IsWhiteSpace(rest[0]))
            throw IgnoreFileException.InvalidInclude(displayName, lineNumber, line);

        // Syncthing joins the name onto the including file's directory even when it starts with '/',
        // and lets ".." leave the folder (shared ignore files next to several folders rely on that).
        string fullPath = Path.GetFullPath(Path.Combine(directory, includeName.TrimStart('/')));
        int onStack = _includeStack.IndexOf(fullPath);
        if (onStack >= 0)
        {
            var chain = _includeStack.Skip(onStack).Append(fullPath).Select(Display);
            throw IgnoreFileException.IncludeCycle(displayName, lineNumber, includeName, chain);
        }
        if (!_includedFiles.Add(fullPath))
            throw IgnoreFileException.IncludeRepeated(displayName, lineNumber, includeName);
        if (_includeStack.Count >= MaxIncludeDepth)
            throw IgnoreFileException.IncludeTooDeep(displayName, lineNumber, includeName, MaxIncludeDepth);

        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw IgnoreFileException.IncludeNotFound(displayName, lineNumber, includeName, fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw IgnoreFileException.IncludeUnreadable(displayName, lineNumber, includeName, e);
        }
        ReadFile(text, fullPath, Display(fullPath), Path.GetDirectoryName(fullPath) ?? directory);
    }

    /// <summary>A file's name for messages: relative to the folder root when inside it, else absolute.</summary>
    private string Display(string fullPath)
    {
        string relative = Path.GetRelativePath(_folderRoot, fullPath);
        bool outside = relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative);
        return outside ? fullPath : relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
