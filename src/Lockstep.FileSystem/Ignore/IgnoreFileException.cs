namespace Lockstep.FileSystem.Ignore;

/// <summary>
/// An ignore file (<c>.stignore</c> or a file it includes) that cannot be used. The message always starts
/// with <c>file:line:</c>; the folder should stop scanning rather than guess what the user meant, because
/// a half-applied ignore list could announce files the user wanted kept private.
/// </summary>
public sealed class IgnoreFileException : Exception
{
    private IgnoreFileException(IgnoreFileError error, string fileName, int lineNumber, string problem, Exception? inner = null)
        : base($"{fileName}:{lineNumber}: {problem}", inner)
    {
        Error = error;
        FileName = fileName;
        LineNumber = lineNumber;
    }

    /// <summary>The kind of problem.</summary>
    public IgnoreFileError Error { get; }

    /// <summary>The file holding the offending line, relative to the folder root when it is inside it.</summary>
    public string FileName { get; }

    /// <summary>The 1-based line number in <see cref="FileName"/>.</summary>
    public int LineNumber { get; }

    // Every message is built here, so they read alike.

    internal static IgnoreFileException InvalidPattern(string file, int line, string pattern, string problem) =>
        new(IgnoreFileError.InvalidPattern, file, line, $"invalid pattern \"{pattern}\": {problem}");

    internal static IgnoreFileException InvalidInclude(string file, int line, string text) =>
        new(IgnoreFileError.InvalidInclude, file, line, $"\"{text}\": expected \"#include <file>\"");

    internal static IgnoreFileException IncludeNotFound(string file, int line, string includeName, string fullPath) =>
        new(IgnoreFileError.IncludeNotFound, file, line, $"#include \"{includeName}\": file not found ({fullPath})");

    internal static IgnoreFileException IncludeUnreadable(string file, int line, string includeName, Exception inner) =>
        new(IgnoreFileError.IncludeUnreadable, file, line, $"#include \"{includeName}\": cannot read it: {inner.Message}", inner);

    internal static IgnoreFileException IncludeCycle(string file, int line, string includeName, IEnumerable<string> chain) =>
        new(IgnoreFileError.IncludeCycle, file, line, $"#include \"{includeName}\": include cycle ({string.Join(" -> ", chain)})");

    internal static IgnoreFileException IncludeRepeated(string file, int line, string includeName) =>
        new(IgnoreFileError.IncludeRepeated, file, line, $"#include \"{includeName}\": that file is already included, and a file may be included only once");

    internal static IgnoreFileException IncludeTooDeep(string file, int line, string includeName, int limit) =>
        new(IgnoreFileError.IncludeTooDeep, file, line, $"#include \"{includeName}\": includes are nested more than {limit} deep");
}
