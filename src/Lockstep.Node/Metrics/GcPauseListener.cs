using System.Diagnostics.Tracing;

namespace Lockstep.Node.Metrics;

/// <summary>
/// Times every stop-the-world pause of the garbage collector from the runtime's own GC events (execution engine
/// suspended → restarted) and hands each duration, in seconds, to whoever subscribed. A total alone
/// (<see cref="GC.GetTotalPauseDuration"/>) cannot tell a hundred 1 ms pauses from one 100 ms stall in the API's tail.
/// </summary>
/// <remarks>
/// One listener for the process, created at the first subscription and never disposed: the runtime's events come
/// from one process-wide source, and disposing a listener of them while its dispatch thread delivers an event
/// deadlocks inside EventListener (two nodes of one test process stopping at once hung that way). Subscribers come
/// and go through this class's own list instead.
/// </remarks>
internal sealed class GcPauseListener : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int SuspendBegin = 9, RestartEnd = 3; // GCSuspendEEBegin_V1, GCRestartEEEnd_V1

    private static readonly Lock SubscribersLock = new();
    private static Action<double>[] _subscribers = [];
    private static GcPauseListener? _instance;

    private long _suspendedAt; // ticks of the event's timestamp; 0 when the runtime is not suspended for a GC

    private GcPauseListener()
    {
    }

    /// <summary>Calls <paramref name="pause"/> with each GC pause in seconds until the result is disposed.</summary>
    public static IDisposable Subscribe(Action<double> pause)
    {
        lock (SubscribersLock)
        {
            _subscribers = [.. _subscribers, pause];
            _instance ??= new GcPauseListener();
        }
        return new Subscription(pause);
    }

    private sealed class Subscription(Action<double> pause) : IDisposable
    {
        public void Dispose()
        {
            lock (SubscribersLock)
                _subscribers = _subscribers.Where(s => s != pause).ToArray();
        }
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == RuntimeSource)
            EnableEvents(source, EventLevel.Informational, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        // Events of one session arrive in order on one dispatch thread, so a plain field pairs them.
        if (e.EventId == SuspendBegin)
            _suspendedAt = e.TimeStamp.Ticks;
        else if (e.EventId == RestartEnd && _suspendedAt != 0)
        {
            double seconds = TimeSpan.FromTicks(e.TimeStamp.Ticks - _suspendedAt).TotalSeconds;
            _suspendedAt = 0;
            foreach (var subscriber in Volatile.Read(ref _subscribers))
                subscriber(seconds);
        }
    }
}
