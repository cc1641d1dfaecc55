using Lockstep.Index;
using Lockstep.Protocol.Identity;

namespace Lockstep.Sync.Global;

/// <summary>Counts of a folder's items by kind, as Syncthing's /rest/db/status reports them.</summary>
public sealed record ItemCounts(long Files, long Directories, long Symlinks, long Deleted, long Bytes)
{
    public long Total => Files + Directories + Symlinks;

    internal ItemCounts Add(FileInfo f) => f.Deleted
        ? this with { Deleted = Deleted + 1 }
        : f.IsDirectory ? this with { Directories = Directories + 1 }
        : f.IsSymlink ? this with { Symlinks = Symlinks + 1 }
        : this with { Files = Files + 1, Bytes = Bytes + f.Size };

    public static ItemCounts Zero { get; } = new(0, 0, 0, 0, 0);
}

/// <summary>How far a peer is from the global state of a folder (Syncthing's /rest/db/completion).</summary>
public sealed record DeviceCompletion(long GlobalItems, long GlobalBytes, long NeedItems, long NeedBytes, long NeedDeletes)
{
    /// <summary>Percent complete as Syncthing computes it: by bytes, 100 when nothing is needed.</summary>
    public double Percent => NeedItems == 0 && NeedDeletes == 0 ? 100
        : GlobalBytes == 0 ? 95 // only deletes or empty items are needed: close, but not in sync
        : Math.Floor(100.0 * (1 - (double)NeedBytes / GlobalBytes) * 100) / 100;
}

/// <summary>
/// One walk of a folder's global view: what the cluster holds, what this device holds and needs, what each peer
/// needs, and the conflict copies present. Streams the index, so it costs one pass however large the folder.
/// </summary>
public sealed record FolderSummary(ItemCounts Global, ItemCounts Local, ItemCounts Need, IReadOnlyDictionary<DeviceId, DeviceCompletion> Peers,
    int ConflictCopies, long Sequence)
{
    public static FolderSummary Compute(FolderIndex index, IReadOnlyList<DeviceId> peers)
    {
        var global = ItemCounts.Zero;
        var local = ItemCounts.Zero;
        var need = ItemCounts.Zero;
        var peerNeed = peers.ToDictionary(p => p, _ => (Items: 0L, Bytes: 0L, Deletes: 0L));
        int conflicts = 0;
        foreach (var entry in GlobalView.Enumerate(index, peers, headersOnly: true))
        {
            var g = entry.Global;
            if (g.Invalid)
                continue;
            global = global.Add(g);
            if (entry.Local is { Invalid: false } l)
                local = local.Add(l);
            if (!g.Deleted && ConflictNames.IsConflictCopy(entry.Name))
                conflicts++;
            if (entry.LocalNeeds)
                need = need.Add(g);
            foreach (var peer in peers)
            {
                if (!entry.DeviceNeeds(peer))
                    continue;
                var (items, bytes, deletes) = peerNeed[peer];
                peerNeed[peer] = g.Deleted ? (items, bytes, deletes + 1) : (items + 1, bytes + (g.IsFile ? g.Size : 0), deletes);
            }
        }
        var completions = peerNeed.ToDictionary(p => p.Key,
            p => new DeviceCompletion(global.Total, global.Bytes, p.Value.Items, p.Value.Bytes, p.Value.Deletes));
        return new FolderSummary(global, local, need, completions, conflicts, index.MaxSequence);
    }
}
