using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Lockstep.Contracts.Rest;

namespace Lockstep.Node.Events;

/// <summary>
/// The node's recent events, numbered from 1 in the order they happened, for /rest/events (Syncthing's long poll,
/// or Server-Sent Events) and `lockstep events`. Keeps the last <see cref="Capacity"/>; a reader that asks for
/// events since an ID that has already left the buffer gets what is left, from the oldest on.
/// </summary>
public sealed class EventLog
{
    /// <summary>As many as Syncthing's API buffers.</summary>
    public const int Capacity = 1000;

    private readonly Lock _lock = new();
    private readonly EventEntry[] _ring = new EventEntry[Capacity];
    private readonly TimeProvider _clock;
    private long _lastId;
    private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EventLog(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    /// <summary>The ID of the newest event (0 before the first).</summary>
    public long LastId
    {
        get
        {
            lock (_lock)
                return _lastId;
        }
    }

    public EventEntry Publish<T>(string type, T data, JsonTypeInfo<T> typeInfo)
    {
        var element = JsonSerializer.SerializeToElement(data, typeInfo);
        TaskCompletionSource published;
        EventEntry entry;
        lock (_lock)
        {
            long id = ++_lastId;
            entry = new EventEntry(id, id, _clock.GetUtcNow(), type, element);
            _ring[(id - 1) % Capacity] = entry;
            published = _published;
            _published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        published.TrySetResult();
        return entry;
    }

    /// <summary>
    /// The buffered events after <paramref name="since"/> that <paramref name="accept"/> takes, oldest first; with a
    /// limit, only the newest that many of them.
    /// </summary>
    public IReadOnlyList<EventEntry> Since(long since, Func<string, bool>? accept = null, int? limit = null)
    {
        lock (_lock)
            return SinceLocked(since, accept, limit);
    }

    /// <summary>
    /// Like <see cref="Since"/>, but when there is nothing yet, waits up to <paramref name="timeout"/> for an event that
    /// matches; an empty list after that (Syncthing's long poll).
    /// </summary>
    public async Task<IReadOnlyList<EventEntry>> WaitAsync(long since, Func<string, bool>? accept, int? limit, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var deadline = _clock.GetTimestamp() + (long)(timeout.TotalSeconds * _clock.TimestampFrequency);
        while (true)
        {
            Task next;
            lock (_lock)
            {
                var found = SinceLocked(since, accept, limit);
                if (found.Count > 0)
                    return found;
                next = _published.Task;
            }
            var left = _clock.GetElapsedTime(_clock.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero)
                return [];
            try
            {
                await next.WaitAsync(left, _clock, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return [];
            }
        }
    }

    private List<EventEntry> SinceLocked(long since, Func<string, bool>? accept, int? limit)
    {
        long first = Math.Max(Math.Max(since, 0) + 1, _lastId - Capacity + 1);
        var found = new List<EventEntry>();
        for (long id = Math.Max(first, 1); id <= _lastId; id++)
        {
            var entry = _ring[(id - 1) % Capacity];
            if (accept is null || accept(entry.Type))
                found.Add(entry);
        }
        if (limit is > 0 && found.Count > limit)
            found.RemoveRange(0, found.Count - limit.Value);
        return found;
    }
}
