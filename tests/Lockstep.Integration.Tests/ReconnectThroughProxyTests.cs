using System.Text.RegularExpressions;
using Lockstep.Integration.Tests.Support;
using Lockstep.Testing;
using Microsoft.Extensions.Logging;

namespace Lockstep.Integration.Tests;

/// <summary>
/// Two nodes whose only path runs through a <see cref="FaultProxy"/>: a network cut (not a node restart, which
/// TwoNodeTests covers) must end both connections, and the reconnect must resume the index where it stopped.
/// </summary>
public sealed partial class ReconnectThroughProxyTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private TestNode _a = null!, _b = null!;
    private FaultProxy _proxy = null!;

    /// <summary>
    /// b listens before the proxy binds its kernel-chosen port, and a (never dialed) listens on port 0, so the proxy
    /// cannot take a port a node was told to use. a dials b only through the proxy; b never dials a ("dynamic").
    /// </summary>
    public async Task InitializeAsync()
    {
        _a = TestNode.Create("a");
        _b = TestNode.Create("b");
        _a.Configure(c => c with { Listen = "tcp://127.0.0.1:0" });
        _b.AddDevice(_a, dial: false);
        _b.AddFolder("f1", _a);
        await _b.StartAsync();
        _proxy = new FaultProxy(_b.Port);
        _a.AddDevice(_b.Id, "b", _proxy.Address);
        _a.AddFolder("f1", _b);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        if (_proxy is not null)
            await _proxy.DisposeAsync();
    }

    [GeneratedRegex(@"^RemoteIndexUpdated \S+ f1: (?<items>\d+) items \(update: (?<update>True|False)\)$")]
    private static partial Regex IndexReceived();

    /// <summary>b's "RemoteIndexUpdated" lines (event 1107) for f1, each checked to match the message's shape.</summary>
    private static List<Match> Received(IEnumerable<(string Category, LogLevel Level, EventId Id, string Message)> lines) =>
        lines.Where(l => l.Id.Id == 1107).Select(l => IndexReceived().Match(l.Message))
            .Select(m => m.Success ? m : throw new Xunit.Sdk.XunitException("unexpected 1107 line: " + m.Value)).ToList();

    private static int ItemsReceived(IEnumerable<(string Category, LogLevel Level, EventId Id, string Message)> lines) =>
        Received(lines).Sum(m => int.Parse(m.Groups["items"].Value, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Eventually, with both nodes' logs and the proxy's counters as they are at the timeout.</summary>
    private async Task WaitAsync(Func<bool> condition, string what)
    {
        try
        {
            await Eventually.TrueAsync(condition, Patience, what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{_proxy}\n--- a\n{_a.Logs}\n--- b\n{_b.Logs}", e);
        }
    }

    private string Folder(string name) => Path.Combine(_a.FolderPath("f1"), name);

    private Lockstep.Protocol.Messages.FileInfo? RemoteOnB(string name) =>
        _b.Host.Index!.Folder("f1").EnumerateRemote(_a.Id).FirstOrDefault(f => f.Name == name);

    private long? LocalSizeOnA(string name) => _a.Host.Index!.Folder("f1").GetLocal(name) is { Deleted: false } f ? f.Size : null;

    [Fact]
    public async Task Reconnect_after_a_cut_exchanges_only_the_delta()
    {
        for (int i = 0; i < 50; i++)
            File.WriteAllText(Folder($"file{i:D2}.txt"), $"{i}");
        await _a.StartAsync();
        await WaitAsync(() => _b.Host.Index!.Folder("f1").EnumerateRemote(_a.Id).Count(f => !f.Deleted) == 50, "b to hold a's full index");
        var first = _b.Host.Peers!.Status(_a.Id);
        await WaitAsync(() => (first = _b.Host.Peers!.Status(_a.Id)) is not null, "b to see a connected");
        Assert.Equal(1, _proxy.Forwarded);
        // b logs a received index just after storing it: wait for those lines too, so none lands after the mark.
        await WaitAsync(() => ItemsReceived(_b.Logs.Lines) == 50, "b to log the full index");

        // The cut: both nodes lose the connection at once, and a's redials meet a reset while the partition lasts.
        var mark = _b.Logs.Lines.Count;
        _proxy.Partition(true);
        Assert.Equal(1, _proxy.Cut());
        await WaitAsync(() => _a.Host.Peers!.Connected.Count == 0 && _b.Host.Peers!.Connected.Count == 0, "both nodes to notice the cut");

        // Changed while apart: 3 new, 2 modified (new sizes), 1 deleted — 6 index entries in all.
        string[] added = ["new0.txt", "new1.txt", "new2.txt"], modified = ["file07.txt", "file33.txt"];
        foreach (var name in added)
            File.WriteAllText(Folder(name), "added while cut");
        foreach (var name in modified)
            File.WriteAllText(Folder(name), "modified while cut");
        File.Delete(Folder("file42.txt"));
        await WaitAsync(() =>
            added.Concat(modified).All(n => LocalSizeOnA(n) == new FileInfo(Folder(n)).Length) && LocalSizeOnA("file42.txt") is null,
            "a to index its changes");
        Assert.Null(RemoteOnB("new0.txt")); // nothing crossed the partition
        // a's redial (after its backoff) meets the partition and fails; a must go on dialing after that.
        await WaitAsync(() => _proxy.Rejected >= 1, "a to redial into the partition");
        Assert.Empty(_a.Host.Peers!.Connected);

        _proxy.Partition(false);
        await WaitAsync(() =>
            added.All(n => RemoteOnB(n) is { Deleted: false }) &&
            modified.All(n => RemoteOnB(n)?.Size == "modified while cut".Length) &&
            RemoteOnB("file42.txt") is { Deleted: true }, "the delta to reach b");

        // The connection really went and came back: a new one through the proxy, seen by b at a new address.
        Assert.True(_proxy.Forwarded >= 2, $"forwarded {_proxy.Forwarded}");
        var second = _b.Host.Peers!.Status(_a.Id);
        await WaitAsync(() => (second = _b.Host.Peers!.Status(_a.Id)) is not null, "b to see a connected again");
        Assert.NotEqual(first!.Address, second!.Address);
        Assert.True(second.StartedAt > first.StartedAt);
        // b logs each event just after acting on it, so its lines may trail what the index already shows.
        await WaitAsync(() =>
        {
            var lines = _b.Logs.Lines.Skip(mark).ToList();
            return lines.Any(l => l.Id.Id == 1103 && l.Message.StartsWith("DeviceDisconnected " + _a.Id, StringComparison.Ordinal)) &&
                   lines.Any(l => l.Id.Id == 1102 && l.Message.StartsWith("DeviceConnected " + _a.Id, StringComparison.Ordinal)) &&
                   ItemsReceived(lines) >= 6;
        }, "b to log the disconnect, the reconnect and the delta");

        // Only the delta: IndexUpdates carrying exactly the 6 changed entries, no full Index of the 55 again.
        var since = _b.Logs.Lines.Skip(mark).ToList();
        Assert.All(Received(since), m => Assert.Equal("True", m.Groups["update"].Value));
        Assert.Equal(6, ItemsReceived(since));
        Assert.Equal(52, _b.Host.Index!.Folder("f1").EnumerateRemote(_a.Id).Count(f => !f.Deleted));
    }
}
