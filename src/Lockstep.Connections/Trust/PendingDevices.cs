using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Trust;

/// <summary>
/// Devices that were refused because nobody configured them yet, waiting for a person to accept or dismiss them.
/// Thread-safe: handshakes record concurrently. Bounded, because anyone who can reach the port can mint new
/// certificates: past <see cref="Capacity"/> the entry seen longest ago is evicted.
/// </summary>
public sealed class PendingDevices
{
    public const int DefaultCapacity = 256;

    private readonly Lock _lock = new();
    private readonly Dictionary<DeviceId, PendingDevice> _entries = [];

    public PendingDevices(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>
    /// Raised after each change, on the thread that made it and outside the registry's lock. Under concurrency
    /// handlers may see changes out of order; <see cref="Snapshot"/> is the authoritative state.
    /// </summary>
    public event EventHandler<PendingDeviceChange>? Changed;

    public int Count
    {
        get
        {
            lock (_lock)
                return _entries.Count;
        }
    }

    /// <summary>The pending devices, first seen first.</summary>
    public IReadOnlyList<PendingDevice> Snapshot()
    {
        lock (_lock)
            return [.. _entries.Values.OrderBy(e => e.FirstSeen).ThenBy(e => e.DeviceId)];
    }

    public PendingDevice? Find(DeviceId deviceId)
    {
        lock (_lock)
            return _entries.GetValueOrDefault(deviceId);
    }

    /// <summary>Records a refused connection attempt from <paramref name="deviceId"/> at <paramref name="address"/>.</summary>
    public PendingDevice Record(DeviceId deviceId, string address, DateTimeOffset at)
    {
        PendingDevice entry;
        PendingDevice? evicted = null;
        PendingChangeKind kind;
        lock (_lock)
        {
            if (_entries.TryGetValue(deviceId, out var known))
            {
                entry = known with { Address = address, LastSeen = at > known.LastSeen ? at : known.LastSeen, Count = known.Count + 1 };
                kind = PendingChangeKind.Updated;
            }
            else
            {
                if (_entries.Count >= Capacity)
                {
                    evicted = _entries.Values.MinBy(e => e.LastSeen)!;
                    _entries.Remove(evicted.DeviceId);
                }
                entry = new PendingDevice(deviceId, address, at, at, 1);
                kind = PendingChangeKind.Added;
            }
            _entries[deviceId] = entry;
        }
        if (evicted is not null)
            Changed?.Invoke(this, new PendingDeviceChange(PendingChangeKind.Removed, evicted));
        Changed?.Invoke(this, new PendingDeviceChange(kind, entry));
        return entry;
    }

    /// <summary>Forgets a device (a person accepted or dismissed it). Returns false when it was not pending.</summary>
    public bool Remove(DeviceId deviceId)
    {
        PendingDevice? removed;
        lock (_lock)
        {
            if (!_entries.Remove(deviceId, out removed))
                return false;
        }
        Changed?.Invoke(this, new PendingDeviceChange(PendingChangeKind.Removed, removed));
        return true;
    }
}
