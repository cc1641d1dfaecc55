using Lockstep.Integration.Tests.Support;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>Two Lockstep nodes on 127.0.0.1 over real TLS sockets and real SQLite indexes.</summary>
public sealed class TwoNodeTests : IAsyncLifetime
{
    private TestNode _a = null!, _b = null!;

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

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static HashSet<string> RemoteNames(TestNode at, TestNode from, string folder) =>
        at.Host.Index!.Folder(folder).EnumerateRemote(from.Id).Where(f => !f.Deleted).Select(f => f.Name).ToHashSet();

    private void ShareF1(bool aDials = true, bool bDials = true)
    {
        _a.AddDevice(_b, dial: aDials);
        _b.AddDevice(_a, dial: bDials);
        _a.AddFolder("f1", _b);
        _b.AddFolder("f1", _a);
    }

    [Fact]
    public async Task Nodes_connect_exchange_cluster_configs_and_see_each_others_files()
    {
        ShareF1(bDials: false);
        File.WriteAllText(Path.Combine(_a.FolderPath("f1"), "from-a.txt"), "a");
        Directory.CreateDirectory(Path.Combine(_b.FolderPath("f1"), "dir"));
        File.WriteAllText(Path.Combine(_b.FolderPath("f1"), "dir", "from-b.txt"), "b");
        await _b.StartAsync();
        await _a.StartAsync();
        await Eventually.TrueAsync(() => RemoteNames(_b, _a, "f1").Contains("from-a.txt"), Patience, "b to hold a's index");
        await Eventually.TrueAsync(() => RemoteNames(_a, _b, "f1").IsSupersetOf(["dir", "dir/from-b.txt"]), Patience, "a to hold b's index");
        var announced = _a.Host.Index!.Folder("f1").EnumerateRemote(_b.Id).Single(f => f.Name == "dir/from-b.txt");
        Assert.Equal(1, announced.Size);
        Assert.Equal(_b.Id.Short, announced.ModifiedBy);

        // A change made later is streamed as an IndexUpdate.
        File.WriteAllText(Path.Combine(_a.FolderPath("f1"), "later.txt"), "later");
        await Eventually.TrueAsync(() => RemoteNames(_b, _a, "f1").Contains("later.txt"), Patience, "the update to reach b");
        var status = _a.Host.Peers!.Status(_b.Id)!;
        Assert.StartsWith("TLS1.3-", status.Crypto);
        Assert.StartsWith("lockstep v", status.ClientVersion);
        Assert.True(status.InBytesTotal > 0 && status.OutBytesTotal > 0);
    }

    [Fact]
    public async Task Both_dialing_at_once_ends_with_one_shared_connection()
    {
        ShareF1();
        await Task.WhenAll(_a.StartAsync(), _b.StartAsync());
        // The same TCP connection on both ends: a's remote endpoint is b's local one and vice versa.
        await Eventually.TrueAsync(() =>
            _a.Host.Peers!.Status(_b.Id) is { } sa && _b.Host.Peers!.Status(_a.Id) is { } sb &&
            sa.Address == sb.LocalAddress && sb.Address == sa.LocalAddress, Patience, "one connection both ends agree on");
        File.WriteAllText(Path.Combine(_a.FolderPath("f1"), "x.txt"), "x");
        await Eventually.TrueAsync(() => RemoteNames(_b, _a, "f1").Contains("x.txt"), Patience, "index flow over it");
        var sa = _a.Host.Peers!.Status(_b.Id)!;
        var sb = _b.Host.Peers!.Status(_a.Id)!;
        Assert.Equal(sa.Address, sb.LocalAddress); // still the same one
    }

    [Fact]
    public async Task An_unknown_device_is_refused_and_listed_as_pending()
    {
        _b.AddDevice(_a); // b knows a, a does not know b
        await _a.StartAsync();
        await _b.StartAsync();
        await Eventually.TrueAsync(() => _a.Host.Peers!.Pending.Find(_b.Id) is not null, Patience, "b pending on a");
        var pending = _a.Host.Peers!.Pending.Find(_b.Id)!;
        Assert.StartsWith("127.0.0.1:", pending.Address.Replace("tcp://", ""));
        Assert.Empty(_a.Host.Peers.Connected);
        // The pending entry is recorded as the connection is refused; the log line follows it.
        await Eventually.TrueAsync(() => _a.Logs.Contains("DeviceRejected " + _b.Id), Patience, _a.Logs.ToString());
    }

    [Fact]
    public async Task A_reconnect_sends_only_what_changed()
    {
        ShareF1(bDials: false);
        for (int i = 0; i < 50; i++)
            File.WriteAllText(Path.Combine(_a.FolderPath("f1"), $"file{i}.txt"), $"{i}");
        await _a.StartAsync();
        await _b.StartAsync();
        await Eventually.TrueAsync(() => RemoteNames(_b, _a, "f1").Count == 50, Patience, "the full index");
        await _b.StopAsync();
        File.WriteAllText(Path.Combine(_a.FolderPath("f1"), "new.txt"), "new");
        await Eventually.TrueAsync(() => _a.Host.Index!.Folder("f1").GetLocal("new.txt") is not null, Patience, "a to index new.txt");
        var before = _b.Logs.Lines.Count;
        await _b.StartAsync();
        await Eventually.TrueAsync(() => RemoteNames(_b, _a, "f1").Contains("new.txt"), Patience, "the delta");
        var received = _b.Logs.Lines.Skip(before).Where(l => l.Id.Id == 1107).ToList();
        // First an IndexUpdate with the one new file, and never the 51-file Index again. (Later updates may follow:
        // a rescans files that were written just before it started, once they have settled.)
        Assert.True(received.Count >= 1 && received[0].Message.Contains(": 1 items (update: True)") && received.All(l => l.Message.Contains("(update: True)")),
            $"b:\n{_b.Logs}\n\na:\n{_a.Logs}");
        Assert.Contains(_a.Logs.Lines, l => l.Id.Id == 1109 && l.Message.Contains(": the delta (", StringComparison.Ordinal));
    }
}
