using System.Diagnostics.Tracing;

namespace Lockstep.Node.Metrics;

/// <summary>
/// Times every stop-the-world pause of the garbage collector from the runtime's own GC events (execution engine
/// suspended → restarted) and hands each duration, in seconds, to <paramref name="pause"/>. A total alone
/// (<see cref="GC.GetTotalPauseDuration"/>) cannot tell a hundred 1 ms pauses from one 100 ms stall in the API's tail.
/// </summary>
internal sealed class GcPauseListener(Action<double> pause) : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int SuspendBegin = 9, RestartEnd = 3; // GCSuspendEEBegin_V1, GCRestartEEEnd_V1
    private long _suspendedAt; // ticks of the event's timestamp; 0 when the runtime is not suspended for a GC

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
            pause(TimeSpan.FromTicks(e.TimeStamp.Ticks - _suspendedAt).TotalSeconds);
            _suspendedAt = 0;
        }
    }
}
