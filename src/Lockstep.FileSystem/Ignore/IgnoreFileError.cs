namespace Lockstep.FileSystem.Ignore;

/// <summary>Why an ignore file was rejected; carried by <see cref="IgnoreFileException"/>.</summary>
public enum IgnoreFileError
{
    /// <summary>A line is not a valid pattern (unclosed <c>[</c> or <c>{</c>, trailing <c>\</c>, prefixes with no pattern...).</summary>
    InvalidPattern,

    /// <summary>An <c>#include</c> line names no file.</summary>
    InvalidInclude,

    /// <summary>An included file does not exist.</summary>
    IncludeNotFound,

    /// <summary>An included file exists but could not be read.</summary>
    IncludeUnreadable,

    /// <summary>A file includes itself, directly or through other files.</summary>
    IncludeCycle,

    /// <summary>A file is included a second time; Syncthing's documentation makes that an error.</summary>
    IncludeRepeated,

    /// <summary>Includes are nested deeper than the limit (a guard against symlink loops that never repeat a path).</summary>
    IncludeTooDeep,
}
