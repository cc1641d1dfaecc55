using Lockstep.Integration.Tests.Support;
using Lockstep.Node.Config;
using Lockstep.Sync.Folders;
using Lockstep.Sync.Global;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>
/// The same file edited on two disconnected nodes, then reconnected, under each conflict strategy: one live
/// version and one conflict copy, the same on both nodes.
/// </summary>
public sealed class ConflictStrategyTests : IAsyncLifetime
{
    private TestNode _a = null!, _b = null!;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public Task InitializeAsync()
    {
        _a = TestNode.Create("a");
        _b = TestNode.Create("b");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private static string P(TestNode node, string name) => Path.Combine(node.FolderPath("f"), name);

    private static string? TryRead(string path)
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

    private static string[] Copies(TestNode node) => Directory.GetFiles(node.FolderPath("f"), "c.sync-conflict-*.txt");

    /// <summary>
    /// a edits c.txt to <paramref name="onA"/> (older mtime, so Syncthing's rule makes b's edit the winner) while
    /// b is down; b edits it to <paramref name="onB"/> while a is down; then both run.
    /// </summary>
    private async Task ConflictAsync(Func<FolderConfig, FolderConfig> folder, string onA, string onB)
    {
        TestNode.Share("f", _a, _b);
        foreach (var node in new[] { _a, _b })
            node.Configure(c => c.WithFolder(folder(c.Folders.Single())));
        await _a.StartAsync();
        await _b.StartAsync();
        File.WriteAllText(P(_a, "c.txt"), "base");
        await Eventually.TrueAsync(() => _b.Read("f", "c.txt") == "base", Patience, "the base version to reach b");

        await _b.StopAsync();
        File.WriteAllText(P(_a, "c.txt"), onA);
        File.SetLastWriteTimeUtc(P(_a, "c.txt"), DateTime.UtcNow.AddMinutes(-10));
        await Eventually.TrueAsync(() => _a.Host.Index!.Folder("f").GetLocal("c.txt")!.Size == onA.Length, Patience, "a to record its edit");
        await _a.StopAsync();
        await _b.StartAsync();
        File.WriteAllText(P(_b, "c.txt"), onB);
        await Eventually.TrueAsync(() => _b.Host.Index!.Folder("f").GetLocal("c.txt")!.Size == onB.Length, Patience, "b to record its edit");
        await _a.StartAsync();
    }

    private async Task SettledAsync(string live, string copy)
    {
        await Eventually.TrueAsync(() => new[] { _a, _b }.All(n => n.Read("f", "c.txt") == live && Copies(n) is [var c] && TryRead(c) == copy),
            Patience, $"both nodes to hold '{live}' live and '{copy}' as the one conflict copy\n" +
                      string.Join("\n", new[] { _a, _b }.Select(n => $"{n.Id.Short}: live={n.Read("f", "c.txt")} copies={string.Join(",", Copies(n).Select(Path.GetFileName))}")));
        Assert.Equal(Path.GetFileName(Copies(_a)[0]), Path.GetFileName(Copies(_b)[0]));
    }

    [Fact]
    public async Task Newest_keeps_syncthings_winner()
    {
        await ConflictAsync(f => f, "a: older but much longer text", "b: newer");
        await SettledAsync("b: newer", "a: older but much longer text");
        Assert.EndsWith($"-{_b.Id.Short}.txt", Copies(_a)[0]); // named with the winner's ID, as Syncthing names it
    }

    [Fact]
    public async Task Largest_keeps_the_larger_bytes_live_on_every_node()
    {
        await ConflictAsync(f => f with { ConflictStrategy = new ConflictStrategy.Largest() }, "a: older but much longer text", "b: newer");
        await SettledAsync("a: older but much longer text", "b: newer");
    }

    [Fact]
    public async Task Prefer_keeps_the_preferred_devices_bytes_live()
    {
        var preferA = new ConflictStrategy.Prefer(_a.Id);
        await ConflictAsync(f => f with { ConflictStrategy = preferA }, "a: preferred", "b: newer but not preferred");
        await SettledAsync("a: preferred", "b: newer but not preferred");
    }

    [Fact]
    public async Task Manual_lists_the_conflict_until_a_person_resolves_it()
    {
        await ConflictAsync(f => f with { ConflictStrategy = new ConflictStrategy.Manual() }, "a: mine", "b: theirs");
        await SettledAsync("b: theirs", "a: mine");
        var runner = _a.Host.Runners[0];
        await Eventually.TrueAsync(() => runner.ConflictList().Count == 1, Patience, "the conflict to be listed");
        var open = runner.ConflictList().Single();
        Assert.Equal("c.txt", open.Path);
        Assert.Equal("a: mine".Length, open.CopySize);

        // Keep the copy's bytes: they become the live file everywhere and the copy goes.
        await runner.ResolveConflictAsync("c.txt", ConflictKeep.Remote);
        await Eventually.TrueAsync(() => new[] { _a, _b }.All(n => n.Read("f", "c.txt") == "a: mine" && Copies(n).Length == 0), Patience, "the resolution to reach both");
        await Eventually.TrueAsync(() => _b.Host.Runners[0].ConflictList().Count == 0, Patience, "no conflict listed any more");
        await Assert.ThrowsAsync<FileNotFoundException>(() => runner.ResolveConflictAsync("c.txt", ConflictKeep.Local));
    }

    [Fact]
    public async Task Max_conflicts_zero_deletes_the_loser()
    {
        await ConflictAsync(f => f with { MaxConflicts = 0 }, "a: loses", "b: wins");
        await Eventually.TrueAsync(() => new[] { _a, _b }.All(n => n.Read("f", "c.txt") == "b: wins"), Patience, "b's version everywhere");
        // Both are settled on b's version: no copy was ever made, on either node.
        await _a.Host.Runners[0].ScanAsync();
        Assert.Empty(Copies(_a));
        Assert.Empty(Copies(_b));
    }
}
