using Lockstep.Node.Metrics;
using Lockstep.Testing;

namespace Lockstep.Node.Tests.Metrics;

/// <summary>GC pauses reach every subscriber, and subscribers leave while collections run without anything hanging.</summary>
public sealed class GcPauseListenerTests
{
    [Fact]
    public async Task Every_subscriber_sees_the_pauses_and_many_leaving_at_once_during_collections_never_hang()
    {
        for (int round = 0; round < 3; round++)
        {
            var seen = new double[8];
            var subscriptions = Enumerable.Range(0, seen.Length)
                .Select(i => GcPauseListener.Subscribe(seconds => Interlocked.Exchange(ref seen[i], Math.Max(seconds, 1e-9))))
                .ToList();
            using var stop = new CancellationTokenSource();
            var collector = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                    await Task.Delay(5);
                }
            });
            await Eventually.TrueAsync(() => seen.All(s => Volatile.Read(ref s) > 0), TimeSpan.FromSeconds(30), "every subscriber to see a pause");
            Assert.All(seen, s => Assert.InRange(s, 1e-9, 10)); // seconds, not ticks

            // Nodes of one process stopping together: each drops its subscription while the runtime still reports GCs.
            var leaving = subscriptions.Select(s => Task.Run(s.Dispose)).ToArray();
            var all = Task.WhenAll(leaving);
            Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30))));
            await stop.CancelAsync();
            await collector;
        }
    }
}
