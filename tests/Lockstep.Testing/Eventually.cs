using System.Diagnostics;

namespace Lockstep.Testing;

/// <summary>Waits for a condition with a timeout, polling; never a fixed sleep as synchronisation.</summary>
public static class Eventually
{
    private static readonly TimeSpan AsyncPollDelay = TimeSpan.FromMilliseconds(50);

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

    /// <summary>
    /// Polls an asynchronous condition (a REST call, a query) every 50 ms until it holds. Exceptions from the
    /// condition propagate; catch inside it what means "not yet".
    /// </summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellationToken = default)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            if (sw.Elapsed > timeout)
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:F1} s waiting for {what}");
            await Task.Delay(AsyncPollDelay, cancellationToken);
        }
    }

    /// <summary>Polls an asynchronous probe until it returns non-null, and returns that value.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, CancellationToken cancellationToken = default)
        where T : class
    {
        T? value = null;
        await TrueAsync(async () => (value = await probe()) is not null, timeout, what, cancellationToken);
        return value!;
    }
}
