using Lockstep.FileSystem.Ignore;

namespace Lockstep.FileSystem.Tests.Ignore;

/// <summary>#include with real files: splicing, relative names, and the errors.</summary>
public sealed class IgnoreIncludeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Included_lines_are_spliced_in_where_the_include_stands()
    {
        _folder.Write(".stignore", "first\n#include more.txt\nlast\n");
        _folder.Write("more.txt", "// comment\nmiddle\n");
        var matcher = Load();
        Assert.Equal(["first", "middle", "last"], matcher.Patterns);
        Assert.Equal(IgnoreResult.Ignored, matcher.Match("middle"));
    }

    [Fact]
    public void Include_order_decides_like_inline_lines()
    {
        _folder.Write(".stignore", "#include keep.txt\n*.log\n");
        _folder.Write("keep.txt", "!important.log\n");
        var matcher = Load();
        Assert.Equal(IgnoreResult.NotIgnored, matcher.Match("important.log"));
        Assert.Equal(IgnoreResult.Ignored, matcher.Match("debug.log"));
    }

    [Fact]
    public void Include_names_are_relative_to_the_including_file_but_patterns_to_the_folder_root()
    {
        _folder.Write(".stignore", "#include sub/inc.txt\n");
        _folder.Write("sub/inc.txt", "#include deeper.txt\n/rooted\n");
        _folder.Write("sub/deeper.txt", "deep\n");
        var matcher = Load();
        Assert.Equal(IgnoreResult.Ignored, matcher.Match("x/deep"));
        Assert.Equal(IgnoreResult.Ignored, matcher.Match("rooted"));
        Assert.Equal(IgnoreResult.NotIgnored, matcher.Match("sub/rooted"));
    }

    [Fact]
    public void A_leading_slash_in_the_include_name_still_means_the_including_directory()
    {
        _folder.Write(".stignore", "#include /sub/a.txt\n");
        _folder.Write("sub/a.txt", "from-a\n");
        Assert.Equal(IgnoreResult.Ignored, Load().Match("from-a"));
    }

    [Fact]
    public void An_include_may_reach_outside_the_folder()
    {
        using var shared = new TempFolder();
        string sharedFile = shared.Write("shared.txt", "shared-pattern\n");
        string relative = Path.GetRelativePath(_folder.Root, sharedFile).Replace('\\', '/');
        _folder.Write(".stignore", $"#include {relative}\n");
        Assert.Equal(IgnoreResult.Ignored, Load().Match("shared-pattern"));
    }

    [Fact]
    public void Parse_resolves_includes_from_the_folder_root()
    {
        _folder.Write("more.txt", "included\n");
        var matcher = IgnoreMatcher.Parse("#include more.txt", _folder.Root);
        Assert.Equal(IgnoreResult.Ignored, matcher.Match("included"));
    }

    [Fact]
    public void A_missing_include_names_the_including_file_its_line_and_the_missing_file()
    {
        _folder.Write(".stignore", "a\n#include nope.txt\n");
        var e = Assert.Throws<IgnoreFileException>(Load);
        Assert.Equal(IgnoreFileError.IncludeNotFound, e.Error);
        Assert.Equal(".stignore", e.FileName);
        Assert.Equal(2, e.LineNumber);
        Assert.StartsWith(".stignore:2: #include \"nope.txt\": file not found", e.Message);
        Assert.Contains(Path.Combine(_folder.Root, "nope.txt"), e.Message);
    }

    [Fact]
    public void A_missing_include_inside_an_included_file_names_that_file()
    {
        _folder.Write(".stignore", "#include sub/inc.txt\n");
        _folder.Write("sub/inc.txt", "x\ny\n#include gone/away.txt\n");
        var e = Assert.Throws<IgnoreFileException>(Load);
        Assert.Equal(IgnoreFileError.IncludeNotFound, e.Error);
        Assert.Equal("sub/inc.txt", e.FileName);
        Assert.Equal(3, e.LineNumber);
        Assert.StartsWith("sub/inc.txt:3:", e.Message);
    }

    [Fact]
    public void A_bad_pattern_in_an_included_file_names_that_file_and_line()
    {
        _folder.Write(".stignore", "ok\n#include inc.txt\n");
        _folder.Write("inc.txt", "fine\n[broken\n");
        var e = Assert.Throws<IgnoreFileException>(Load);
        Assert.Equal(IgnoreFileError.InvalidPattern, e.Error);
        Assert.StartsWith("inc.txt:2: invalid pattern \"[broken\"", e.Message);
    }

    [Fact]
    public void An_include_cycle_is_an_error_that_shows_the_chain()
    {
        _folder.Write(".stignore", "#include a.txt\n");
        _folder.Write("a.txt", "#include b.txt\n");
        _folder.Write("b.txt", "x\n#include a.txt\n");
        var e = Assert.Throws<IgnoreFileException>(Load);
        Assert.Equal(IgnoreFileError.IncludeCycle, e.Error);
        Assert.Equal("b.txt", e.FileName);
        Assert.Equal(2, e.LineNumber);
        Assert.Contains("a.txt -> b.txt -> a.txt", e.Message);
    }

    [Fact]
    public void Including_the_root_file_is_a_cycle()
    {
        _folder.Write(".stignore", "x\n#include .stignore\n");
        var e = Assert.Throws<IgnoreFileException>(Load);
        Assert.Equal(IgnoreFileError.IncludeCycle, e.Error);
        Assert.Contains(".stignore -> .stignore", e.Message);
    }

    [Fact]
    public void Including_the_same_file_twice_is_an_error()
    {
        _folder.Write(".stignore", "#include common.txt\n#include ./common.txt\n");
        _folder.Write("common.txt", "c\n");
        var e = Assert.Throws<IgnoreFileException>(Load);
        Assert.Equal(IgnoreFileError.IncludeRepeated, e.Error);
        Assert.Equal(2, e.LineNumber);
    }

    [Fact]
    public void Includes_nested_beyond_the_limit_are_refused()
    {
        WriteIncludeChain(IgnoreFileReader.MaxIncludeDepth); // with .stignore: one file more than allowed
        var e = Assert.Throws<IgnoreFileException>(Load);
        Assert.Equal(IgnoreFileError.IncludeTooDeep, e.Error);
        Assert.Equal($"f{IgnoreFileReader.MaxIncludeDepth - 2}.txt", e.FileName);
    }

    [Fact]
    public void Includes_up_to_the_limit_are_fine()
    {
        WriteIncludeChain(IgnoreFileReader.MaxIncludeDepth - 1); // with .stignore: exactly at the limit
        Assert.Equal(IgnoreResult.Ignored, Load().Match("end"));
    }

    [Fact]
    public void Load_without_an_ignore_file_is_empty()
    {
        var matcher = IgnoreMatcher.Load(_folder.Root);
        Assert.Same(IgnoreMatcher.Empty, matcher);
    }

    [Fact]
    public void Load_reads_a_file_with_a_byte_order_mark_and_crlf_line_ends()
    {
        File.WriteAllBytes(Path.Combine(_folder.Root, ".stignore"), [0xEF, 0xBB, 0xBF, .. "foo\r\n!bar\r\n"u8]);
        var matcher = IgnoreMatcher.Load(_folder.Root);
        Assert.Equal(["foo", "!bar"], matcher.Patterns);
        Assert.Equal(IgnoreResult.Ignored, matcher.Match("foo"));
    }

    /// <summary>.stignore includes f0.txt, which includes f1.txt, ... up to the last file, which holds "end".</summary>
    private void WriteIncludeChain(int files)
    {
        _folder.Write(".stignore", "#include f0.txt\n");
        for (int i = 0; i < files - 1; i++)
            _folder.Write($"f{i}.txt", $"p{i}\n#include f{i + 1}.txt\n");
        _folder.Write($"f{files - 1}.txt", "end\n");
    }

    private IgnoreMatcher Load() => IgnoreMatcher.Load(_folder.Root, IgnoreSyntax.Unix);
}
