using Lockstep.FileSystem.Ignore;

namespace Lockstep.FileSystem.Tests.Ignore;

/// <summary>The examples of Syncthing's "Ignoring Files" page (docs.syncthing.net/users/ignoring.html).</summary>
public sealed class IgnoreDocsExampleTests
{
    // The worked example: this .stignore over the layout listed in DocsLayout.
    private static readonly IgnoreMatcher _example = Ignores.Lines(
        "(?d).DS_Store",
        "!frobble",
        "!quuz",
        "foo",
        "*2",
        "qu*",
        "(?i)my pictures");

    public static TheoryData<string, IgnoreResult, string> DocsLayout => new()
    {
        { ".DS_Store", IgnoreResult.Ignored | IgnoreResult.Deletable, "ignored, deletable if it blocks removing its directory" },
        { "foo", IgnoreResult.Ignored, "matches foo" },
        { "foofoo", IgnoreResult.NotIgnored, "foo does not match foofoo" },
        { "bar", IgnoreResult.NotIgnored, "matches nothing" },
        { "bar/baz", IgnoreResult.NotIgnored, "matches nothing" },
        { "bar/quux", IgnoreResult.Ignored, "matches qu*" },
        { "bar/quuz", IgnoreResult.NotIgnored, "matches qu*, but !quuz comes first" },
        // The docs list bar2/ as synced "due to child frobble": the directory itself matches *2; the
        // walker keeps it because CanSkipDirectory is false and a child is included (checked below).
        { "bar2", IgnoreResult.Ignored, "matches *2" },
        { "bar2/baz", IgnoreResult.Ignored, "parent ignored" },
        { "bar2/frobble", IgnoreResult.NotIgnored, "!frobble" },
        { "My Pictures", IgnoreResult.Ignored | IgnoreResult.CaseFolded, "(?i)my pictures" },
        { "My Pictures/Img15.PNG", IgnoreResult.Ignored | IgnoreResult.CaseFolded, "parent ignored" },
    };

    [Theory]
    [MemberData(nameof(DocsLayout))]
    public void Worked_example_decides_each_file_as_documented(string name, IgnoreResult expected, string why)
    {
        Assert.True(expected == _example.Match(name), $"{name}: expected {expected} ({why}), got {_example.Match(name)}");
    }

    [Theory]
    [InlineData("bar2")] // !frobble could re-include bar2/frobble, so the walker must look inside
    [InlineData("My Pictures")] // !frobble and !quuz come first and match at any depth
    public void Worked_example_directories_must_be_walked(string dir)
    {
        Assert.False(_example.CanSkipDirectory(dir));
    }

    [Theory]
    [InlineData("foo", "foo", true)]
    [InlineData("foo", "subdir/foo", true)]
    [InlineData("foo", "foo/inside/a directory named foo", true)]
    [InlineData("foo bar", "foo bar", true)] // spaces are regular characters
    [InlineData("te*st", "test", true)]
    [InlineData("te*st", "subdir/telerest", true)]
    [InlineData("te*st", "tele/rest", false)]
    [InlineData("te**st", "test", true)]
    [InlineData("te**st", "subdir/telerest", true)]
    [InlineData("te**st", "tele/sub/dir/rest", true)]
    [InlineData("te??st", "tebest", true)]
    [InlineData("te??st", "teb/st", false)]
    [InlineData("te??st", "test", false)]
    [InlineData("/foo", "foo", true)]
    [InlineData("/foo", "subdir/foo", false)]
    [InlineData("(?i)test", "test", true)]
    [InlineData("(?i)test", "TEST", true)]
    [InlineData("(?i)test", "tEsT", true)]
    [InlineData("(?i)!picture*.png\n*.png", "Picture1.PNG", false)]
    [InlineData("(?i)!picture*.png\n*.png", "other.png", true)]
    [InlineData("some/directory/", "some/directory", false)] // a trailing slash matches the contents only
    [InlineData("some/directory/", "some/directory/file", true)]
    [InlineData("some/directory", "some/directory", true)]
    public void Pattern_examples_from_the_docs(string patterns, string name, bool ignored)
    {
        Assert.Equal(ignored, (Ignores.Parse(patterns).Match(name) & IgnoreResult.Ignored) != 0);
    }
}
