using Lockstep.FileSystem.Ignore;

namespace Lockstep.FileSystem.Tests.Ignore;

/// <summary>Bad lines are refused with the file, the line number and the problem.</summary>
public sealed class IgnoreParseErrorTests
{
    [Theory]
    [InlineData("ok\n[abc", 2, "unclosed '['")]
    [InlineData("a\\", 1, "trailing '\\'")]
    [InlineData("x\ny\n{a,b", 3, "unclosed '{'")]
    [InlineData("[]", 1, "empty character class")]
    [InlineData("[!]", 1, "empty character class")]
    [InlineData("[z-a]", 1, "reversed")]
    [InlineData("!", 1, "not followed by a pattern")]
    [InlineData("(?i)", 1, "not followed by a pattern")]
    [InlineData("good\n\n(?d)!", 3, "not followed by a pattern")]
    public void Invalid_patterns_name_the_file_and_line(string text, int line, string problem)
    {
        var e = Assert.Throws<IgnoreFileException>(() => Ignores.Parse(text));
        Assert.Equal(IgnoreFileError.InvalidPattern, e.Error);
        Assert.Equal(".stignore", e.FileName);
        Assert.Equal(line, e.LineNumber);
        Assert.StartsWith($".stignore:{line}: invalid pattern", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Theory]
    [InlineData("#include")]
    [InlineData("#include    ")]
    [InlineData("#includefile.txt")]
    public void An_include_without_a_file_name_is_refused(string line)
    {
        var e = Assert.Throws<IgnoreFileException>(() => Ignores.Parse("a\n" + line));
        Assert.Equal(IgnoreFileError.InvalidInclude, e.Error);
        Assert.Equal(2, e.LineNumber);
        Assert.StartsWith(".stignore:2:", e.Message);
    }

    [Fact]
    public void The_source_name_is_used_in_messages()
    {
        var e = Assert.Throws<IgnoreFileException>(() => IgnoreMatcher.Parse("[", Ignores.NoRoot, "from-the-api"));
        Assert.Equal("from-the-api", e.FileName);
        Assert.StartsWith("from-the-api:1:", e.Message);
    }
}
