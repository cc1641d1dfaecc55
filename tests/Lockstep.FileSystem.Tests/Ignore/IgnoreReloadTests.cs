using Lockstep.FileSystem.Ignore;
using Lockstep.Testing;

namespace Lockstep.FileSystem.Tests.Ignore;

public sealed class IgnoreReloadTests
{
    [Fact]
    public void Reload_reuses_the_compiled_matcher_until_the_effective_lines_change()
    {
        using var dir = new TempDirectory("reload");
        dir.Write(".stignore", "*.log\n#include more.txt\n");
        dir.Write("more.txt", "/build\n");
        var first = IgnoreMatcher.Reload(dir.Path, null);
        Assert.Same(first, IgnoreMatcher.Reload(dir.Path, first));
        Assert.True(first.Match("build").HasFlag(IgnoreResult.Ignored));

        dir.Write("more.txt", "/dist\n"); // an edit of an included file counts
        var second = IgnoreMatcher.Reload(dir.Path, first);
        Assert.NotSame(first, second);
        Assert.False(second.Match("build").HasFlag(IgnoreResult.Ignored));
        Assert.True(second.Match("dist").HasFlag(IgnoreResult.Ignored));

        File.Delete(dir.Combine(".stignore"));
        Assert.Same(IgnoreMatcher.Empty, IgnoreMatcher.Reload(dir.Path, second));
    }
}
