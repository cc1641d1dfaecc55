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
        _a.AddDevice(_b);
        _b.AddDevice(_a);
        _a.AddFolder("f", _b);
        _b.AddFolder("f", _a);
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

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    [Fact]
    public async Task Replaced_and_deleted_files_are_kept_under_stversions_and_restore_brings_one_back_everywhere()
    {
        File.WriteAllText(P(_a, "report.txt"), "first draft");
        File.WriteAllText(P(_a, "notes.txt"), "to be deleted");
        await Eventually.TrueAsync(() => Read(P(_b, "report.txt")) == "first draft" && Read(P(_b, "notes.txt")) is not null, Patience, "the files to reach b");

        File.WriteAllText(P(_a, "report.txt"), "second draft");
        File.Delete(P(_a, "notes.txt"));
        await Eventually.TrueAsync(() => Read(P(_b, "report.txt")) == "second draft" && Read(P(_b, "notes.txt")) is null, Patience, "the edit and the delete to reach b");

        var runner = _b.Host.Runners[0];
        var kept = runner.Versions();
        Assert.Equal(["notes.txt", "report.txt"], kept.Select(v => v.Name).Order(StringComparer.Ordinal));
        Assert.Equal("first draft", File.ReadAllText(Path.Combine(_b.FolderPath("f"), ".stversions", kept.Single(v => v.Name == "report.txt").StoredAs)));
        Assert.False(Directory.Exists(Path.Combine(_a.FolderPath("f"), ".stversions"))); // versioning is b's setting alone

        // The restored copy is a local change on b, and goes to a like any other.
        await runner.RestoreVersionAsync("report.txt", null);
        Assert.Equal("first draft", Read(P(_b, "report.txt")));
        await Eventually.TrueAsync(() => Read(P(_a, "report.txt")) == "first draft", Patience, "the restored version to reach a");
        Assert.Contains(runner.Versions("report.txt"), v => File.ReadAllText(Path.Combine(_b.FolderPath("f"), ".stversions", v.StoredAs)) == "second draft");
        await Assert.ThrowsAsync<FileNotFoundException>(() => runner.RestoreVersionAsync("never-existed.txt", null));
    }
}
