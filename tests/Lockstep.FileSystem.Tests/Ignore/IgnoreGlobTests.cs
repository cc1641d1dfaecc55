using Lockstep.FileSystem.Ignore;

namespace Lockstep.FileSystem.Tests.Ignore;

/// <summary>Wildcards, classes, escapes and braces. Each row: .stignore text, name, ignored?</summary>
public sealed class IgnoreGlobTests
{
    [Theory]
    [InlineData("*.txt", "a.txt", true)]
    [InlineData("*.txt", "dir/sub/a.txt", true)]
    [InlineData("*.txt", "a.txt.bak", false)]
    [InlineData("foo*", "foo", true)] // * matches the empty run
    [InlineData("a/*/c", "a/b/c", true)]
    [InlineData("a/*/c", "a/b/x/c", false)] // * never crosses '/'
    [InlineData("a*c", "ab/c", false)]
    [InlineData("a/**/c", "a/b/x/c", true)]
    [InlineData("a/**/c", "a/c", false)] // Syncthing's glob: the two slashes stay, ** may be empty between them
    [InlineData("a**c", "ab/x/c", true)]
    [InlineData("?", "a", true)]
    [InlineData("?", "ab", false)]
    [InlineData("a?c", "a/c", false)] // ? never matches '/'
    [InlineData("a?c", "a\U0001F600c", true)] // one code point, even outside the BMP
    [InlineData("a??c", "a\U0001F600c", false)]
    [InlineData("*", "a\nb", true)] // '\n' is a legal name character
    [InlineData("foo", "foo\n", false)] // and $-style end anchoring would wrongly accept this
    [InlineData("a**b", "a\nb", true)]
    [InlineData("foo", "foo/x\ny", true)]
    public void Wildcards(string patterns, string name, bool ignored) => Check(patterns, name, ignored);

    [Theory]
    [InlineData("[abc].txt", "b.txt", true)]
    [InlineData("[abc].txt", "d.txt", false)]
    [InlineData("[a-z]x", "qx", true)]
    [InlineData("[a-z]x", "Qx", false)]
    [InlineData("[0-9][0-9]", "42", true)]
    [InlineData("[0-9][0-9]", "4a", false)]
    [InlineData("[!a-c]x", "dx", true)]
    [InlineData("[!a-c]x", "bx", false)]
    [InlineData("[!abc]x", "ax", false)]
    [InlineData("[a-cx-z]1", "y1", true)] // ranges and characters mixed
    [InlineData("[a-cx-z]1", "m1", false)]
    [InlineData("[^a]x", "^x", true)] // '^' does not negate, as in Syncthing's glob library
    [InlineData("[^a]x", "bx", false)]
    [InlineData("a[-]b", "a-b", true)]
    [InlineData("[ab-]", "-", true)]
    [InlineData("[\\]]", "]", true)]
    [InlineData("[\U0001F600]", "\U0001F600", true)]
    [InlineData("[\U0001F600]", "x", false)]
    [InlineData("x[!a]y", "x\U0001F600y", true)] // a negated class takes a whole code point too
    [InlineData("x[!a]?y", "x\U0001F600y", false)]
    [InlineData("[!a]", "/", true)] // and, as in Syncthing's glob library, may match '/'
    public void Character_classes(string patterns, string name, bool ignored) => Check(patterns, name, ignored);

    [Theory]
    [InlineData("\\*", "*", true)]
    [InlineData("\\*", "a", false)]
    [InlineData("a\\?", "a?", true)]
    [InlineData("a\\?", "ab", false)]
    [InlineData("\\[x]", "[x]", true)]
    [InlineData("\\[x]", "x", false)]
    [InlineData("\\\\", "\\", true)]
    [InlineData("\\{a,b}", "{a,b}", true)]
    [InlineData("\\{a,b}", "a", false)]
    [InlineData("x]", "x]", true)] // ']' outside a class and ',' '}' outside braces are literal
    [InlineData("a,b}", "a,b}", true)]
    public void Escapes_and_literal_specials(string patterns, string name, bool ignored) => Check(patterns, name, ignored);

    [Theory]
    [InlineData("*.{jpg,png}", "a.png", true)]
    [InlineData("*.{jpg,png}", "a.jpg", true)]
    [InlineData("*.{jpg,png}", "a.gif", false)]
    [InlineData("{a,b/c}x", "b/cx", true)]
    [InlineData("x{,y}", "x", true)] // an empty alternative
    [InlineData("{a,{b,c}d}", "cd", true)] // nested
    [InlineData("{a,{b,c}d}", "c", false)]
    public void Braces(string patterns, string name, bool ignored) => Check(patterns, name, ignored);

    private static void Check(string patterns, string name, bool ignored)
    {
        var result = Ignores.Parse(patterns).Match(name);
        Assert.True(ignored == ((result & IgnoreResult.Ignored) != 0), $"pattern {patterns} on {name}: got {result}");
    }
}
