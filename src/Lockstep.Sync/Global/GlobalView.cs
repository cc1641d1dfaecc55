using Lockstep.Index;
using Lockstep.Protocol.Identity;

namespace Lockstep.Sync.Global;

/// <summary>
/// The folder's global state computed from the index: a merge, by name, of our entries and every sharing peer's
/// announced entries, each name resolved with <see cref="GlobalRules"/>. Streams in the index's name order and
/// holds one entry per source at a time, so a folder of any size is walked in constant memory.
/// </summary>
public static class GlobalView
{
    /// <summary>Every name anybody announced, with its global version and our need of it.</summary>
    /// <param name="headersOnly">
    /// Entries without their block lists, permissions or link targets (<see cref="FolderIndex.EnumerateLocalHeaders"/>):
    /// enough to count and to decide who needs what, for about half the cost; never enough to pull.
    /// </param>
    public static IEnumerable<GlobalEntry> Enumerate(FolderIndex index, IReadOnlyList<DeviceId> peers, bool headersOnly = false)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(peers);
        var sources = new List<IEnumerator<FileInfo>>(peers.Count + 1);
        try
        {
            sources.Add((headersOnly ? index.EnumerateLocalHeaders() : index.EnumerateLocal()).GetEnumerator());
            foreach (var peer in peers)
                sources.Add((headersOnly ? index.EnumerateRemoteHeaders(peer) : index.EnumerateRemote(peer)).GetEnumerator());
            var live = sources.Select(s => s.MoveNext()).ToArray();
            var candidates = new List<(DeviceId Device, FileInfo File)>(peers.Count);
            while (true)
            {
                string? name = null;
                for (int i = 0; i < sources.Count; i++)
                {
                    if (live[i] && (name is null || IndexNameComparer.Instance.Compare(sources[i].Current.Name, name) < 0))
                        name = sources[i].Current.Name;
                }
                if (name is null)
                    yield break;

                FileInfo? local = null;
                candidates.Clear();
                for (int i = 0; i < sources.Count; i++)
                {
                    if (!live[i] || sources[i].Current.Name != name)
                        continue;
                    if (i == 0)
                        local = sources[i].Current;
                    else
                        candidates.Add((peers[i - 1], sources[i].Current));
                    live[i] = sources[i].MoveNext();
                }
                yield return Resolve(name, local, candidates);
            }
        }
        finally
        {
            foreach (var source in sources)
                source.Dispose();
        }
    }

    /// <summary>
    /// The global view of just <paramref name="names"/> (what changed since the last pass), in index order: a pass
    /// after an IndexUpdate of ten files looks at ten names, not at the whole folder. Names nobody announces are skipped.
    /// </summary>
    public static IEnumerable<GlobalEntry> Of(FolderIndex index, IReadOnlyList<DeviceId> peers, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(index);
        foreach (var name in names.Distinct(StringComparer.Ordinal).Order(IndexNameComparer.Instance))
        {
            var local = index.GetLocal(name);
            var remote = new List<(DeviceId Device, FileInfo File)>(peers.Count);
            foreach (var peer in peers)
            {
                if (index.GetRemote(peer, name) is { } file)
                    remote.Add((peer, file));
            }
            if (local is null && remote.Count == 0)
                continue;
            yield return Resolve(name, local, remote);
        }
    }

    /// <summary>The global version of one name from our entry (if any) and the peers' entries.</summary>
    public static GlobalEntry Resolve(string name, FileInfo? local, IReadOnlyList<(DeviceId Device, FileInfo File)> remote)
    {
        // A valid version, when any device has one, is global over every invalid one (Syncthing keeps invalid
        // versions after the valid ones): an item changed in a receive-only folder or ignored somewhere never
        // takes over the cluster's version, whatever its vector says.
        FileInfo? global = local is { Invalid: false } ? local : null;
        foreach (var (_, file) in remote)
        {
            if (!file.Invalid && (global is null || GlobalRules.Beats(file, global)))
                global = file;
        }
        if (global is null)
        {
            global = local;
            foreach (var (_, file) in remote)
            {
                if (global is null || GlobalRules.Beats(file, global))
                    global = file;
            }
        }
        if (global is null)
            throw new ArgumentException($"'{name}': nobody announced it", nameof(remote));
        var availability = new List<DeviceId>();
        foreach (var (device, file) in remote)
        {
            if (!file.Invalid && file.Version.Compare(global.Version) == Protocol.Messages.Ordering.Equal)
                availability.Add(device);
        }
        return new GlobalEntry(name, global, local, availability, GlobalRules.Needs(local, global)) { Remote = remote.ToArray() };
    }
}
