using Lockstep.Integration.Tests.Support;
using Lockstep.Node.Config;
using Lockstep.Sync.Versioning;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>A receiving node keeps what a remote change replaces or deletes, and restores it on request.</summary>
public sealed class VersioningTests : IAsyncLifetime
{
    private TestNode _a = null!, _b = null!;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public async Task InitializeAsync()
    {
        _a = TestNode.Create("a");
        _b = TestNode.Create("b");
        TestNode.Share("f", _a, _b);
        _b.Configure(c => c.WithFolder(c.Folders.Single() with { Versioning = new VersioningConfig { Type = VersioningKind.Simple, Keep = 3 } }));
        await _a.StartAsync();
        await _b.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private static string P(TestNode node, string name) => Path.Combine(node.FolderPath("f"), name);

    [Fact]
    public async Task Replaced_and_deleted_files_are_kept_under_stversions_and_restore_brings_one_back_everywhere()
    {
        File.WriteAllText(P(_a, "report.txt"), "first draft");
        File.WriteAllText(P(_a, "notes.txt"), "to be deleted");
        await Eventually.TrueAsync(() => _b.Read("f", "report.txt") == "first draft" && _b.Read("f", "notes.txt") is not null, Patience, "the files to reach b");

        File.WriteAllText(P(_a, "report.txt"), "second draft");
        File.Delete(P(_a, "notes.txt"));
        await Eventually.TrueAsync(() => _b.Read("f", "report.txt") == "second draft" && _b.Read("f", "notes.txt") is null, Patience, "the edit and the delete to reach b");

        var runner = _b.Host.Runners[0];
        var kept = runner.Versions();
        Assert.Equal(["notes.txt", "report.txt"], kept.Select(v => v.Name).Order(StringComparer.Ordinal));
        Assert.Equal("first draft", File.ReadAllText(Path.Combine(_b.FolderPath("f"), ".stversions", kept.Single(v => v.Name == "report.txt").StoredAs)));
        Assert.False(Directory.Exists(Path.Combine(_a.FolderPath("f"), ".stversions"))); // versioning is b's setting alone

        // The restored copy is a local change on b, and goes to a like any other.
        await runner.RestoreVersionAsync("report.txt", null);
        Assert.Equal("first draft", _b.Read("f", "report.txt"));
        await Eventually.TrueAsync(() => _a.Read("f", "report.txt") == "first draft", Patience, "the restored version to reach a");
        Assert.Contains(runner.Versions("report.txt"), v => File.ReadAllText(Path.Combine(_b.FolderPath("f"), ".stversions", v.StoredAs)) == "second draft");
        await Assert.ThrowsAsync<FileNotFoundException>(() => runner.RestoreVersionAsync("never-existed.txt", null));
    }
}
