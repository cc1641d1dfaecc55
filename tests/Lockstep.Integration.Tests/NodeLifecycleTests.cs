using Lockstep.Integration.Tests.Support;
using Lockstep.Node.Hosting;
using Lockstep.Testing;
using Microsoft.Extensions.Logging;

namespace Lockstep.Integration.Tests;

/// <summary>Starting and stopping a whole node: a stop at any moment is a clean stop.</summary>
public sealed class NodeLifecycleTests
{
    /// <summary>
    /// SIGTERM can land while the node still binds its peer listener or its REST API (a supervisor that gives
    /// up on a slow start, a test that stops a node as soon as it connects). That stop is as clean as one later:
    /// RunAsync returns normally, Ready is cancelled rather than left pending, the node logs that it stopped, and
    /// the ports and the home lock are free for the next start.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(30)]
    public async Task A_stop_while_starting_is_a_clean_stop(int stopAfterMs)
    {
        await using var peer = TestNode.Create("peer");
        await using var node = TestNode.Create("starting");
        TestNode.Share("f1", node, peer);
        await peer.StartAsync();

        var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        using var stop = new CancellationTokenSource();
        if (stopAfterMs == 0)
            stop.Cancel();
        else
            stop.CancelAfter(stopAfterMs);
        var host = new NodeHost(node.Home, loggers);
        await using (host)
        {
            await host.RunAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(30)); // throws if the stop were an error
            Assert.True(host.Ready.IsCompleted, "Ready must not stay pending after the node stopped");
        }
        Assert.True(logs.Lines.Any(l => l.Id.Id == 1002), "no 'Node … stopped' line:\n" + logs);

        // Nothing is left holding the home lock or the ports: the same node starts again and syncs.
        await node.StartAsync();
        File.WriteAllText(Path.Combine(peer.FolderPath("f1"), "after.txt"), "after a clean stop");
        await Eventually.TrueAsync(() => node.Read("f1", "after.txt") == "after a clean stop", TimeSpan.FromSeconds(30), "the restarted node pulls after.txt");
    }
}
