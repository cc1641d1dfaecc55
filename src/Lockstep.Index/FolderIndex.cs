using Lockstep.Index.Queries;
using Lockstep.Index.Storage;
using Microsoft.Data.Sqlite;

namespace Lockstep.Index;

/// <summary>
/// One folder's part of the index: our local files with their sequences, the block lookup, and what each
/// peer announced. Obtained from <see cref="IndexDatabase.Folder"/>; thread-safe.
///
/// Every write is one transaction, serialized with all other writes of the database. Every read sees the
/// last committed state; an enumeration streams on its own connection and sees the state of the moment it
/// started, however long it runs and whatever is committed meanwhile. Names are ordered byte-wise on their
/// UTF-8 (SQLite's BINARY), which is Unicode code point order: <see cref="IndexNameComparer"/> sorts the same.
/// </summary>
public sealed partial class FolderIndex
{
    private readonly IndexStore _store;
    // folders.idx: never reused (AUTOINCREMENT), so after DropFolder this object can only miss, never hit another folder.
    private readonly long _folderIdx;

    internal FolderIndex(IndexStore store, string folderId, long folderIdx)
    {
        _store = store;
        FolderId = folderId;
        _folderIdx = folderIdx;
    }

    /// <summary>The folder's ID as configured.</summary>
    public string FolderId { get; }

    /// <summary>Our index ID for this folder: random, non-zero, announced in ClusterConfig.</summary>
    public ulong IndexId => ReadState().IndexId;

    /// <summary>
    /// Changes whenever anything in the index database has been written since it was last read (any folder, local
    /// or remote): a cheap way to know that something read earlier may be stale. Costs no query.
    /// </summary>
    public long ChangeStamp => _store.WriteCount;

    /// <summary>The highest sequence ever assigned in this folder (0 before the first commit). Never decreases.</summary>
    public long MaxSequence => ReadState().MaxSequence;

    /// <summary>
    /// Gives the folder a new random index ID, different from the old one. Call it when sequence numbering
    /// restarts, so peers drop what they hold of our index and fetch it again from the start.
    /// </summary>
    public void ResetIndexId() => _store.Write(scope =>
    {
        var (old, _) = RequireFolder(scope);
        scope.Command(FolderQueries.SetIndexId).Set("$folder", _folderIdx).SetUInt64("$index_id", IndexIds.New(old)).ExecuteNonQuery();
    });

    private (ulong IndexId, long MaxSequence) ReadState() =>
        _store.QueryFirst(FolderQueries.State, BindFolder, r => ((ulong IndexId, long MaxSequence)?)(r.GetUInt64(0), r.GetInt64(1)), null)
        ?? throw IndexErrors.FolderDropped(_store.Path, FolderId);

    /// <summary>The folder's row inside a write: its index ID and max sequence; throws when the folder was dropped.</summary>
    private (ulong IndexId, long MaxSequence) RequireFolder(WriteScope scope)
    {
        using var reader = scope.Command(FolderQueries.State).Set("$folder", _folderIdx).ExecuteReader();
        if (!reader.Read())
            throw IndexErrors.FolderDropped(_store.Path, FolderId);
        return (reader.GetUInt64(0), reader.GetInt64(1));
    }

    private void BindFolder(SqliteCommand command) => command.Set("$folder", _folderIdx);

    private static void ValidateNames(IReadOnlyList<FileInfo> files, string paramName)
    {
        foreach (var f in files)
        {
            if (f is null || string.IsNullOrEmpty(f.Name))
                throw new ArgumentException("every entry needs a non-empty name", paramName);
        }
    }
}
