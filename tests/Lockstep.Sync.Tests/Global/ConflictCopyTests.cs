using Lockstep.Sync.Folders;
using Lockstep.Sync.Global;
using Lockstep.Testing;

namespace Lockstep.Sync.Tests.Global;

/// <summary>maxConflicts pruning and a person's resolutions, on a real directory.</summary>
public sealed class ConflictCopyTests : IDisposable
{
    private readonly TempDirectory _dir = new("conflicts");

    public void Dispose() => _dir.Dispose();

    private string Copy(string name, int minute, string text)
    {
        var copy = ConflictNames.For(name, new DateTime(2026, 11, 21, 10, minute, 0), new Lockstep.Protocol.Identity.ShortId(0x0BUL << 40));
        _dir.Write(copy, text);
        return copy;
    }

    [Fact]
    public void The_oldest_copies_beyond_max_conflicts_are_pruned_and_other_files_are_untouched()
    {
        _dir.Write("d/report.txt", "live");
        _dir.Write("d/report-notes.txt", "unrelated");
        var copies = Enumerable.Range(1, 4).Select(i => Copy("d/report.txt", i, $"copy {i}")).ToList();
        Assert.Equal(2, Conflicts.Prune(_dir.Path, "d/report.txt", 2));
        Assert.False(File.Exists(_dir.Combine(copies[0])));
        Assert.False(File.Exists(_dir.Combine(copies[1])));
        Assert.True(File.Exists(_dir.Combine(copies[2])));
        Assert.True(File.Exists(_dir.Combine(copies[3])));
        Assert.True(File.Exists(_dir.Combine("d/report-notes.txt")));
        Assert.Equal(0, Conflicts.Prune(_dir.Path, "d/report.txt", -1));
        Assert.Equal("report.txt", ConflictNames.OriginalOf(Path.GetFileName(copies[3])));
    }

    [Theory]
    [InlineData(ConflictKeep.Local, "live", 0)]
    [InlineData(ConflictKeep.Remote, "copy 2", 0)]
    [InlineData(ConflictKeep.Both, "live", 2)]
    public void Resolving_keeps_what_the_person_chose(ConflictKeep keep, string live, int keptCopies)
    {
        _dir.Write("a.txt", "live");
        Copy("a.txt", 1, "copy 1");
        Copy("a.txt", 2, "copy 2");
        var touched = Conflicts.Resolve(_dir.Path, "a.txt", keep, DateTimeOffset.UtcNow);
        Assert.Contains("a.txt", touched);
        Assert.Equal(live, File.ReadAllText(_dir.Combine("a.txt")));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.sync-conflict-*"));
        Assert.Equal(keptCopies, Directory.GetFiles(_dir.Path, "a.kept-*").Length);
        Assert.Throws<FileNotFoundException>(() => Conflicts.Resolve(_dir.Path, "a.txt", keep, DateTimeOffset.UtcNow));
    }
}
