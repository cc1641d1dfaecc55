namespace Lockstep.FileSystem.Ignore;

/// <summary>
/// The two places where Syncthing reads <c>.stignore</c> differently per platform. Kept as a value so
/// tests on Linux can exercise the Windows and macOS readings too.
/// </summary>
/// <param name="FoldCaseByDefault">Every pattern matches case-insensitively, as if it had <c>(?i)</c> (Windows, macOS).</param>
/// <param name="BackslashIsSeparator"><c>\</c> is a path separator, not an escape (Windows).</param>
internal sealed record IgnoreSyntax(bool FoldCaseByDefault, bool BackslashIsSeparator)
{
    public static IgnoreSyntax Unix { get; } = new(FoldCaseByDefault: false, BackslashIsSeparator: false);

    public static IgnoreSyntax ForCurrentOs { get; } = new(
        FoldCaseByDefault: OperatingSystem.IsWindows() || OperatingSystem.IsMacOS(),
        BackslashIsSeparator: OperatingSystem.IsWindows());
}
