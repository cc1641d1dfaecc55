using System.Collections.Concurrent;
using Lockstep.FileSystem.Native;

namespace Lockstep.Sync.Folders;

/// <summary>
/// What the puller just put on disk, so that the watcher's echo of our own writes does not send each pulled file
/// through a scan again (a path scan looks every name up in the index: most of a receiver's CPU when it pulls
/// thousands of small files). An echo is dropped only while the disk still shows exactly what the puller left there
/// (inode, size, mtime to the nanosecond, type; or nothing, for a delete); any other write since then is a change
/// and is scanned as usual. Entries are consumed by their echo and expire after a minute.
/// </summary>
public sealed class OwnWrites
{
    private readonly record struct Entry(bool Absent, FileStat Stat, long At);

    private static readonly long Lifetime = TimeSpan.FromMinutes(1).Ticks;
    private const int PruneAbove = 50_000;
    private static readonly long PruneEvery = TimeSpan.FromSeconds(10).Ticks; // a pull of 100,000 files must not walk the map per file
    private long _nextPrune;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    public OwnWrites(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    public int Count => _entries.Count;

    private long _dropped;

    /// <summary>Watcher events recognised as echoes so far (diagnostics and tests).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// The puller applies <paramref name="name"/>: <paramref name="path"/> is the item as it will stand there (the temp
    /// file about to be renamed into place keeps its inode, size, mtime and mode), or where it was deleted.
    /// </summary>
    public void Record(string name, string path)
    {
        if (NativeFile.TryLstat(path, out var stat, out _))
            Record(name, stat);
        else if (NativeFile.IsAbsent(path))
            Add(name, new Entry(true, default, _clock.GetUtcNow().UtcTicks)); // a delete
    }

    /// <summary>As <see cref="Record(string, string)"/>, with the stat the caller already took of the item as it will stand.</summary>
    public void Record(string name, FileStat stat) => Add(name, new Entry(false, stat, _clock.GetUtcNow().UtcTicks));

    private void Add(string name, Entry entry)
    {
        _entries[name] = entry;
        long now = entry.At;
        if (_entries.Count > PruneAbove && now >= Interlocked.Read(ref _nextPrune))
        {
            Interlocked.Exchange(ref _nextPrune, now + PruneEvery);
            Prune(now);
        }
    }

    /// <summary>
    /// Whether a watcher event for <paramref name="name"/> is only the echo of what the puller wrote, with nothing
    /// changed since. Consumes the entry either way: a second event for the name is a change of someone else's.
    /// </summary>
    public bool IsEcho(string name, string fullPath)
    {
        if (!_entries.TryRemove(name, out var entry) || _clock.GetUtcNow().UtcTicks - entry.At > Lifetime)
            return false;
        // FileStat is inode, device, size, mtime to the nanosecond and mode: all must be as the puller left them.
        bool echo = entry.Absent ? NativeFile.IsAbsent(fullPath) : NativeFile.TryLstat(fullPath, out var stat, out _) && stat == entry.Stat;
        if (echo)
            Interlocked.Increment(ref _dropped);
        return echo;
    }

    private void Prune(long now)
    {
        foreach (var (name, entry) in _entries)
        {
            if (now - entry.At > Lifetime)
                _entries.TryRemove(name, out _);
        }
        if (_entries.Count > 4 * PruneAbove)
            _entries.Clear(); // a huge pull whose echoes never came (an overflowing watcher): they are only scanned
    }
}
