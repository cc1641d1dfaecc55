using Lockstep.Integration.Tests.Support;
using Lockstep.Node.Config;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>Send-only, receive-only and observe folders between real nodes (ARCHITECTURE.md §3).</summary>
public sealed class FolderTypeTests : IAsyncLifetime
{
    private readonly List<TestNode> _nodes = new();
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
    }

    /// <summary>Two nodes sharing folder "f": a as <paramref name="aType"/>, b as <paramref name="bType"/>.</summary>
    private async Task<(TestNode A, TestNode B)> PairAsync(FolderType aType, FolderType bType)
    {
        var a = TestNode.Create("a");
        var b = TestNode.Create("b");
        _nodes.Add(a);
        _nodes.Add(b);
        a.AddDevice(b);
        b.AddDevice(a);
        a.AddFolder("f", aType, b);
        b.AddFolder("f", bType, a);
        await a.StartAsync();
        await b.StartAsync();
        return (a, b);
    }

    private static string P(TestNode node, string name) => Path.Combine(node.FolderPath("f"), name);

    private static string? Read(TestNode node, string name) => node.Read("f", name);

    private static Task HasAsync(TestNode node, string name, string? content, string what) =>
        Eventually.TrueAsync(() => Read(node, name) == content, Patience, what);

    private static Task RecordedAsync(TestNode node, string name, Func<Lockstep.Protocol.Messages.FileInfo?, bool> condition, string what) =>
        Eventually.TrueAsync(() => condition(node.Host.Index!.Folder("f").GetLocal(name)), Patience, what);

    [Fact]
    public async Task A_send_only_folder_ignores_remote_changes_until_override_pushes_its_own_state()
    {
        var (source, b) = await PairAsync(FolderType.SendOnly, FolderType.SendReceive);
        File.WriteAllText(P(source, "doc.txt"), "original");
        await HasAsync(b, "doc.txt", "original", "the send-only folder's file to reach b");

        File.WriteAllText(P(b, "doc.txt"), "changed on b");
        File.WriteAllText(P(b, "extra.txt"), "added on b");
        await Eventually.TrueAsync(() => source.Host.Index!.Folder("f").GetRemote(b.Id, "extra.txt") is not null, Patience, "the source to learn of b's changes");
        var runner = source.Host.Runners[0];
        runner.RequestPull();
        await runner.ScanAsync(); // a pass through the loop after the pull request
        Assert.Equal("original", Read(source, "doc.txt"));
        Assert.Null(Read(source, "extra.txt"));

        var done = await runner.OverrideAsync();
        Assert.Contains("2", done);
        await HasAsync(b, "doc.txt", "original", "override to restore the source's bytes on b");
        await HasAsync(b, "extra.txt", null, "override to remove what only b added");
        Assert.Equal("original", Read(source, "doc.txt"));
    }

    [Fact]
    public async Task A_receive_only_folder_keeps_local_changes_flagged_until_revert_restores_the_global_state()
    {
        var (a, receiver) = await PairAsync(FolderType.SendReceive, FolderType.ReceiveOnly);
        File.WriteAllText(P(a, "doc.txt"), "from a");
        await HasAsync(receiver, "doc.txt", "from a", "a's file to reach the receive-only folder");

        File.WriteAllText(P(receiver, "doc.txt"), "edited locally");
        File.WriteAllText(P(receiver, "local-only.txt"), "mine");
        await RecordedAsync(receiver, "local-only.txt", f => f is { Invalid: true }, "the local addition to be recorded, flagged");
        await RecordedAsync(receiver, "doc.txt", f => f is { Invalid: true }, "the local edit to be recorded, flagged");
        // a never takes them: flagged changes are announced invalid.
        await Eventually.TrueAsync(() => a.Host.Index!.Folder("f").GetRemote(receiver.Id, "local-only.txt") is { Invalid: true }, Patience, "a to hear of the flagged item");
        Assert.Equal("from a", Read(a, "doc.txt"));
        Assert.Null(Read(a, "local-only.txt"));

        var done = await receiver.Host.Runners[0].RevertAsync();
        Assert.Contains("reverted 2", done);
        await HasAsync(receiver, "doc.txt", "from a", "revert to restore a's bytes");
        await HasAsync(receiver, "local-only.txt", null, "revert to remove the local addition");
        await RecordedAsync(receiver, "doc.txt", f => f is { Invalid: false }, "the restored file to be recorded as the global version");

        // Later changes from a still arrive.
        File.WriteAllText(P(a, "doc.txt"), "from a, again");
        await HasAsync(receiver, "doc.txt", "from a, again", "a later change to reach the receive-only folder");
    }

    [Fact]
    public async Task An_observer_never_writes_and_is_never_pulled_from()
    {
        var (a, observer) = await PairAsync(FolderType.SendReceive, FolderType.Observe);
        File.WriteAllText(P(a, "from-a.txt"), "a");
        File.WriteAllText(P(observer, "observed.txt"), "seen only");
        await Eventually.TrueAsync(() => observer.Host.Index!.Folder("f").GetRemote(a.Id, "from-a.txt") is not null, Patience, "the observer to learn of a's file");
        await Eventually.TrueAsync(() => a.Host.Index!.Folder("f").GetRemote(observer.Id, "observed.txt") is { Invalid: true }, Patience, "a to learn of the observer's file, invalid");
        // Passes through both loops after they know of each other.
        observer.Host.Runners[0].RequestPull();
        await observer.Host.Runners[0].ScanAsync();
        a.Host.Runners[0].RequestPull();
        await a.Host.Runners[0].ScanAsync();
        Assert.Null(Read(observer, "from-a.txt"));
        Assert.Null(Read(a, "observed.txt"));
        Assert.Equal(0, observer.Host.Runners[0].PullProgress.RequestedBytes);
    }
}
