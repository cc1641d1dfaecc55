using Lockstep.Index;

namespace Lockstep.Sync.Exchange;

/// <summary>
/// What to send a peer of one folder's local index (bep-v1.md §5.3): a delta when the peer holds our current
/// index ID and a max sequence we have not passed, otherwise everything from the start with the first batch an
/// Index and the rest IndexUpdates (a second Index would wipe the first batch). Files go in increasing
/// sequence, at most 1,000 per batch, and a batch is closed once it reaches 250 KiB, as Syncthing does.
/// </summary>
public static class IndexBatcher
{
    public const int MaxFilesPerBatch = 1000;
    public const int MaxBytesPerBatch = 250 * 1024;

    /// <summary>True when the peer can continue from what it holds (same index ID, not ahead of us).</summary>
    public static bool CanSendDelta(FolderIndex index, ulong peerIndexId, long peerMaxSequence) =>
        peerIndexId != 0 && peerIndexId == index.IndexId && peerMaxSequence >= 0 && peerMaxSequence <= index.MaxSequence;

    /// <summary>
    /// The batches for a peer that holds (<paramref name="peerIndexId"/>, <paramref name="peerMaxSequence"/>) of
    /// ours. Nothing is sent when the peer is up to date, or when a full send would be empty (Syncthing sends
    /// no Index for an empty folder either).
    /// </summary>
    public static IEnumerable<IndexBatch> Plan(FolderIndex index, ulong peerIndexId, long peerMaxSequence)
    {
        bool delta = CanSendDelta(index, peerIndexId, peerMaxSequence);
        var files = index.LocalSince(delta ? peerMaxSequence : 0);
        return Batch(index.FolderId, files, firstIsIndex: !delta);
    }

    /// <summary>Cuts files (already in sequence order) into batches; only the first can be an Index.</summary>
    public static IEnumerable<IndexBatch> Batch(string folderId, IEnumerable<FileInfo> files, bool firstIsIndex)
    {
        var current = new List<FileInfo>();
        long bytes = 0;
        bool isIndex = firstIsIndex;
        foreach (var file in files)
        {
            current.Add(file);
            bytes += EstimatedWireSize(file);
            if (current.Count >= MaxFilesPerBatch || bytes >= MaxBytesPerBatch)
            {
                yield return new IndexBatch(folderId, isIndex, current);
                isIndex = false;
                current = new List<FileInfo>();
                bytes = 0;
            }
        }
        if (current.Count > 0)
            yield return new IndexBatch(folderId, isIndex, current);
    }

    /// <summary>
    /// Close to the marshalled size: the name, ~40 bytes per block (32-byte hash, offset, size, framing), the
    /// version counters and the fixed fields. Used only to cut batches, so it need not be exact.
    /// </summary>
    public static int EstimatedWireSize(FileInfo file) =>
        64 + System.Text.Encoding.UTF8.GetByteCount(file.Name) + file.Blocks.Length * 44 +
        file.Version.Counters.Length * 22 + System.Text.Encoding.UTF8.GetByteCount(file.SymlinkTarget);
}
