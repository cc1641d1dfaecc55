using Lockstep.FileSystem.Ignore;

namespace Lockstep.FileSystem.Tests.Ignore;

/// <summary>A walker may skip an ignored directory only when no negation could re-include anything below it.</summary>
public sealed class IgnoreCanSkipDirectoryTests
{
    [Theory]
    [InlineData("build", "build", true)]
    [InlineData("build", "src/build", true)]
    [InlineData("build\n!*.txt", "build", true)] // a negation after the deciding line never gets a say
    [InlineData("!/keep\nbuild", "build", true)] // a rooted negation elsewhere
    [InlineData("!/other/keep.txt\nbuild", "build", true)]
    [InlineData("!/BUILD/keep\nbuild", "build", true)] // case-sensitive negation, other case
    [InlineData("!/a/**/keep\nbuild", "build", true)]
    [InlineData("build/**", "build/sub", true)]
    [InlineData("!*.txt\nbuild", "build", false)] // unanchored negation could match at any depth
    [InlineData("!**/keep\nbuild", "build", false)]
    [InlineData("!/build/keep.txt\nbuild", "build", false)]
    [InlineData("!(?i)/BUILD/keep\nbuild", "build", false)]
    [InlineData("!/b*/keep\nbuild", "build", false)]
    [InlineData("!/b?ild/**\nbuild", "build", false)]
    [InlineData("!{build,x}/keep\nbuild", "build", false)]
    [InlineData("!/{build/keep,x}\nbuild", "build", false)] // "build/" ends inside an alternative
    [InlineData("!/{other/keep,x}\nbuild", "build", true)]
    [InlineData("!/build/**\n*", "build", false)] // Syncthing would skip here and lose build/x
    [InlineData("!src/build/keep\nbuild", "src/build", false)]
    [InlineData("!src/build/keep\nbuild", "build", false)] // unanchored: build/src/build/keep would match
    [InlineData("!/src/build/keep\nbuild", "build", true)]
    [InlineData("build/", "build", false)] // the directory itself is not ignored
    [InlineData("!build\nbuild", "build", false)] // nor here
    [InlineData("other", "build", false)]
    public void Cases(string patterns, string dir, bool canSkip)
    {
        Assert.Equal(canSkip, Ignores.Parse(patterns).CanSkipDirectory(dir));
    }

    [Fact]
    public void The_empty_matcher_never_skips()
    {
        Assert.False(IgnoreMatcher.Empty.CanSkipDirectory("anything"));
    }

    /// <summary>
    /// Soundness over many random pattern sets: whenever a directory may be skipped, every name below it
    /// is ignored. Seeded, so a failure reproduces.
    /// </summary>
    [Fact]
    public void Skipping_never_hides_an_included_name()
    {
        string[] pool =
        [
            "a", "b", "c", "/a", "/b/", "a/b", "*", "*.x", "b*", "/*/c", "**/c", "[ab]", "a/**", "/c/a",
            "{a,c}/b", "?", "(?i)A", "(?i)/B", "a?", "[!a]",
        ];
        var names = Tree();
        var random = new Random(20240601);
        int skipped = 0;
        for (int round = 0; round < 400; round++)
        {
            int count = random.Next(1, 6);
            var lines = new List<string>();
            for (int i = 0; i < count; i++)
                lines.Add((random.Next(3) == 0 ? "!" : "") + pool[random.Next(pool.Length)]);
            var matcher = Ignores.Lines([.. lines]);
            foreach (string dir in names)
            {
                if (!matcher.CanSkipDirectory(dir))
                    continue;
                skipped++;
                foreach (string below in names.Where(n => n.StartsWith(dir + "/", StringComparison.Ordinal)))
                {
                    Assert.True((matcher.Match(below) & IgnoreResult.Ignored) != 0,
                        $"patterns [{string.Join(" | ", lines)}]: skipped {dir} but {below} is not ignored");
                }
            }
        }
        Assert.True(skipped > 100, $"only {skipped} skips: the check above proved little");
    }

    /// <summary>Every path of up to three segments over the names a, b, c, x.x.</summary>
    private static List<string> Tree()
    {
        string[] parts = ["a", "b", "c", "x.x"];
        var names = new List<string>(parts);
        for (int depth = 1; depth < 3; depth++)
        {
            var deeper = names.Where(n => n.Count(ch => ch == '/') == depth - 1)
                .SelectMany(n => parts.Select(p => n + "/" + p)).ToList();
            names.AddRange(deeper);
        }
        return names;
    }
}
