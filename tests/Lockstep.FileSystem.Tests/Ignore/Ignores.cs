using Lockstep.FileSystem.Ignore;

namespace Lockstep.FileSystem.Tests.Ignore;

/// <summary>Builds matchers from inline lines, read the Unix way whatever the test host is.</summary>
internal static class Ignores
{
    /// <summary>Never read: these matchers have no includes.</summary>
    public const string NoRoot = "/nonexistent-lockstep-folder";

    public static IgnoreMatcher Parse(string text) =>
        IgnoreMatcher.Parse(text, NoRoot, ".stignore", IgnoreSyntax.Unix);

    public static IgnoreMatcher Lines(params string[] lines) => Parse(string.Join("\n", lines));
}
