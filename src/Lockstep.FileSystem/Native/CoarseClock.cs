using System.Runtime.InteropServices;

namespace Lockstep.FileSystem.Native;

/// <summary>
/// CLOCK_REALTIME_COARSE through libc clock_gettime: the clock Linux stamps file modification times with
/// (current_time() in the kernel). Comparing an mtime against this clock, not the fine one, is exact however
/// far the coarse clock lags: a write after a reading of it gets a stamp at or above that reading.
/// </summary>
internal static unsafe partial class CoarseClock
{
    private const int ClockRealtimeCoarse = 5;

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clockId, long* timespec);

    public static long NowUnixNs()
    {
        long* ts = stackalloc long[2]; // struct timespec { time_t tv_sec; long tv_nsec; } on 64-bit Linux
        if (ClockGetTime(ClockRealtimeCoarse, ts) != 0)
            return (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
        return ts[0] * 1_000_000_000 + ts[1];
    }
}
