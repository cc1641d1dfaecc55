using Lockstep.FileSystem.Ignore;

namespace Lockstep.FileSystem.Tests.Ignore;

/// <summary>How a whole line applies: anchoring, depth, directories, order, prefixes, comments.</summary>
public sealed class IgnoreLineSemanticsTests
{
    [Theory]
    [InlineData("/foo", "foo", true)]
    [InlineData("/foo", "subdir/foo", false)]
    [InlineData("/foo", "foo/bar", true)]
    [InlineData("foo", "a/b/foo", true)] // unanchored: any depth
    [InlineData("foo", "a/b/foo/c", true)]
    [InlineData("foo", "barfoo", false)] // whole segments only
    [InlineData("foo", "foofoo", false)]
    [InlineData("sub/foo", "x/y/sub/foo", true)] // a multi-segment pattern is unanchored too
    [InlineData("sub/foo", "sub/x/foo", false)]
    [InlineData("/sub/foo", "x/sub/foo", false)]
    [InlineData("/sub/foo", "sub/foo/deeper", true)]
    [InlineData("**/foo", "foo", true)]
    [InlineData("**/foo", "a/b/foo", true)]
    [InlineData("/**/foo", "a/foo", true)]
    [InlineData("/*.txt", "a.txt", true)]
    [InlineData("/*.txt", "d/a.txt", false)]
    public void Anchoring_and_depth(string patterns, string name, bool ignored) => Check(patterns, name, ignored);

    [Theory]
    [InlineData("foo", "foo/bar/baz", true)] // a matched directory takes its contents along
    [InlineData("foo/", "foo", false)] // trailing '/': the contents, not the directory
    [InlineData("foo/", "foo/bar", true)]
    [InlineData("foo/", "x/foo/bar", true)]
    [InlineData("/foo/", "x/foo/bar", false)]
    [InlineData("foo/**", "foo", false)]
    [InlineData("foo/**", "foo/bar/baz", true)]
    [InlineData("*.d/", "x.d/y", true)]
    [InlineData("*.d/", "x.d", false)]
    public void Directories(string patterns, string name, bool ignored) => Check(patterns, name, ignored);

    [Theory]
    [InlineData("!foo\nfoo", "foo", IgnoreResult.NotIgnored)] // the first matching line decides
    [InlineData("foo\n!foo", "foo", IgnoreResult.Ignored)]
    [InlineData("!*.keep\n*", "a.keep", IgnoreResult.NotIgnored)]
    [InlineData("!*.keep\n*", "a.other", IgnoreResult.Ignored)]
    [InlineData("*\n!*.keep", "a.keep", IgnoreResult.Ignored)]
    [InlineData("!important\ndir", "dir/important", IgnoreResult.NotIgnored)] // a child rescued from its ignored parent
    [InlineData("dir\n!important", "dir/important", IgnoreResult.Ignored)]
    [InlineData("!foo", "foo", IgnoreResult.NotIgnored)]
    public void Negation_and_order(string patterns, string name, IgnoreResult expected) => CheckExact(patterns, name, expected);

    [Theory]
    [InlineData("test", "TEST", IgnoreResult.NotIgnored)] // case-sensitive by default (Linux)
    [InlineData("(?i)test", "TeSt", IgnoreResult.Ignored | IgnoreResult.CaseFolded)]
    [InlineData("(?i)/Build", "bUILD/out", IgnoreResult.Ignored | IgnoreResult.CaseFolded)]
    [InlineData("(?i)[a-c]x", "BX", IgnoreResult.Ignored | IgnoreResult.CaseFolded)]
    [InlineData("(?i)caf\u00e9", "CAF\u00c9", IgnoreResult.Ignored | IgnoreResult.CaseFolded)]
    [InlineData("(?d)junk", "junk", IgnoreResult.Ignored | IgnoreResult.Deletable)]
    [InlineData("(?d)junk", "JUNK", IgnoreResult.NotIgnored)]
    [InlineData("(?d)(?i)junk", "JUNK", IgnoreResult.Ignored | IgnoreResult.Deletable | IgnoreResult.CaseFolded)]
    [InlineData("(?i)(?d)junk", "JUNK", IgnoreResult.Ignored | IgnoreResult.Deletable | IgnoreResult.CaseFolded)]
    [InlineData("(?d)!junk\njunk", "junk", IgnoreResult.NotIgnored)] // Deletable only ever comes with Ignored
    [InlineData("!(?d)junk\njunk", "junk", IgnoreResult.NotIgnored)]
    [InlineData("(?i)!(?d)x\nx", "X", IgnoreResult.NotIgnored)] // all three prefixes, any order
    [InlineData("(?i)!x\nx", "x", IgnoreResult.NotIgnored)] // CaseFolded never comes without Ignored
    [InlineData("(?i)(?i)x", "x", IgnoreResult.NotIgnored)] // a prefix counts once; the repeat is pattern text
    [InlineData("(?i)(?i)x", "(Zi)X", IgnoreResult.Ignored | IgnoreResult.CaseFolded)]
    [InlineData("(?d)/x/", "x/y", IgnoreResult.Ignored | IgnoreResult.Deletable)]
    public void Prefixes(string patterns, string name, IgnoreResult expected) => CheckExact(patterns, name, expected);

    [Theory]
    [InlineData("// a comment\nfoo", "// a comment", false)]
    [InlineData("#notes", "#notes", true)] // Syncthing has no '#' comments: only #include is special
    [InlineData("# a heading", "# a heading", true)]
    [InlineData("   foo   ", "foo", true)] // lines are trimmed
    [InlineData("foo\r\nbar\r\n", "bar", true)] // CRLF files
    [InlineData("\n\n  \n\tfoo", "foo", true)] // blank lines skipped
    public void Comments_blank_lines_and_whitespace(string patterns, string name, bool ignored) => Check(patterns, name, ignored);

    [Fact]
    public void Comments_and_blank_lines_are_not_patterns()
    {
        var matcher = Ignores.Parse("// comment\n\n   \nfoo\n// another\n#heading\n");
        Assert.Equal(["foo", "#heading"], matcher.Patterns);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    public void The_folder_root_itself_is_never_ignored(string name)
    {
        Assert.Equal(IgnoreResult.NotIgnored, Ignores.Lines("*", "**").Match(name));
    }

    private static void Check(string patterns, string name, bool ignored)
    {
        var result = Ignores.Parse(patterns).Match(name);
        Assert.True(ignored == ((result & IgnoreResult.Ignored) != 0), $"pattern {patterns} on {name}: got {result}");
    }

    private static void CheckExact(string patterns, string name, IgnoreResult expected)
    {
        var result = Ignores.Parse(patterns).Match(name);
        Assert.True(expected == result, $"pattern {patterns} on {name}: expected {expected}, got {result}");
    }
}
