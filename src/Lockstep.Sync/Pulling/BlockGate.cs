namespace Lockstep.Sync.Pulling;

/// <summary>
/// Bounds the bytes a folder's pull has requested but not yet written (Syncthing's pullerMaxPendingKiB). A
/// block takes as many 128 KiB units as it spans; acquirers take their units one acquirer at a time, so a big
/// block waiting for room never deadlocks against small ones each holding a part of it.
/// </summary>
internal sealed class BlockGate : IDisposable
{
    private const int Unit = 128 * 1024;
    private readonly SemaphoreSlim _units;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly int _capacity;

    public BlockGate(long maxBytes)
    {
        _capacity = (int)Math.Clamp(maxBytes / Unit, 1, int.MaxValue);
        _units = new SemaphoreSlim(_capacity, _capacity);
    }

    /// <summary>Waits for room for <paramref name="bytes"/>; dispose the result once they are written.</summary>
    public async ValueTask<IDisposable> EnterAsync(int bytes, CancellationToken cancellationToken)
    {
        int units = Math.Clamp((bytes + Unit - 1) / Unit, 1, _capacity);
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        int taken = 0;
        try
        {
            for (; taken < units; taken++)
                await _units.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (taken > 0)
                _units.Release(taken);
            throw;
        }
        finally
        {
            _turn.Release();
        }
        return new Lease(_units, units);
    }

    private sealed class Lease(SemaphoreSlim units, int count) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                units.Release(count);
        }
    }

    public void Dispose()
    {
        _units.Dispose();
        _turn.Dispose();
    }
}
