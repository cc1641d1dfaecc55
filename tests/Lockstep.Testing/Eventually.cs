using System.Diagnostics;

namespace Lockstep.Testing;

/// <summary>Waits for a condition with a timeout, polling; never a fixed sleep as synchronisation.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout)
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:F1} s waiting for {what}");
            await Task.Delay(10);
        }
    }

    public static async Task<T> ValueAsync<T>(Func<T?> probe, TimeSpan timeout, string what) where T : class
    {
        T? value = null;
        await TrueAsync(() => (value = probe()) is not null, timeout, what);
        return value!;
    }
}
