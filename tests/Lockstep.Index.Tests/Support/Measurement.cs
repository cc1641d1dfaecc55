using System.Diagnostics;

namespace Lockstep.Index.Tests.Support;

/// <summary>Wall-clock and process CPU time (user + kernel) of one measured span.</summary>
internal readonly record struct Measurement(TimeSpan Wall, TimeSpan Cpu)
{
    public static readonly Measurement None = new(TimeSpan.MaxValue, TimeSpan.MaxValue);

    public static Running Start() => new(Stopwatch.GetTimestamp(), Process.GetCurrentProcess().TotalProcessorTime);

    /// <summary>Field by field, the better of two rounds.</summary>
    public Measurement Min(Measurement other) =>
        new(Wall < other.Wall ? Wall : other.Wall, Cpu < other.Cpu ? Cpu : other.Cpu);

    public override string ToString() => $"{Wall.TotalMilliseconds:F0} ms wall, {Cpu.TotalMilliseconds:F0} ms CPU";

    internal readonly record struct Running(long StartTimestamp, TimeSpan StartCpu)
    {
        public Measurement Stop() =>
            new(Stopwatch.GetElapsedTime(StartTimestamp), Process.GetCurrentProcess().TotalProcessorTime - StartCpu);
    }
}
