using Lockstep.Index.Queries;
using Lockstep.Index.Schema;
using Lockstep.Index.Storage;

namespace Lockstep.Index;

/// <summary>
/// A node's index: one SQLite file (WAL) holding, per folder, our own files with their sequences and
/// block lookups, and every peer's announced files. Thread-safe: writes are serialized, reads run in
/// parallel with them (<see cref="FolderIndex"/> describes what each call sees).
/// </summary>
public sealed class IndexDatabase : IDisposable
{
    /// <summary>The schema version this build creates and understands; older files are migrated at open.</summary>
    public const int CurrentSchemaVersion = 1;

    private readonly IndexStore _store;
    // Guards the cache together with creating and dropping folder rows, so Folder and DropFolder on the
    // same ID never interleave. Taken before the store's write lock, never inside it.
    private readonly Lock _foldersLock = new();
    private readonly Dictionary<string, FolderIndex> _folders = new(StringComparer.Ordinal);

    private IndexDatabase(IndexStore store) => _store = store;

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _store.Path;

    /// <summary>The file's schema version, equal to <see cref="CurrentSchemaVersion"/> once opened.</summary>
    public int SchemaVersion => _store.SchemaVersion;

    /// <summary>
    /// Opens the index at <paramref name="path"/>, creating the file if it does not exist (its directory must)
    /// and migrating an older schema. Throws <see cref="IndexException"/> when the file cannot be opened, is
    /// not an index, or has a newer schema than this build.
    /// </summary>
    public static IndexDatabase Open(string path) => Open(path, SchemaCatalog.Embedded);

    internal static IndexDatabase Open(string path, SchemaCatalog catalog)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new IndexDatabase(IndexStore.Open(path, catalog));
    }

    /// <summary>The index of one folder, created (with a new random index ID) on first use. The same object for the same ID.</summary>
    public FolderIndex Folder(string folderId)
    {
        ArgumentException.ThrowIfNullOrEmpty(folderId);
        lock (_foldersLock)
        {
            if (_folders.TryGetValue(folderId, out var cached))
                return cached;
            long idx = _store.Write(scope =>
            {
                scope.Command(FolderQueries.Insert).Set("$folder_id", folderId).SetUInt64("$index_id", IndexIds.New()).ExecuteNonQuery();
                return (long)scope.Command(FolderQueries.IdxById).Set("$folder_id", folderId).ExecuteScalar()!;
            });
            var folder = new FolderIndex(_store, folderId, idx);
            _folders.Add(folderId, folder);
            return folder;
        }
    }

    /// <summary>The IDs of every folder in the index, in ordinal (byte) order.</summary>
    public IReadOnlyList<string> FolderIds() =>
        _store.Query(FolderQueries.Ids, _ => { }, r => r.GetString(0)).ToList();

    /// <summary>
    /// Removes a folder with its local files, block lookups and remote state. A <see cref="FolderIndex"/> obtained
    /// before then throws <see cref="IndexError.FolderDropped"/> on writes and reads nothing; <see cref="Folder"/>
    /// starts the folder afresh, with a new index ID. Unknown IDs are ignored.
    /// </summary>
    public void DropFolder(string folderId)
    {
        ArgumentException.ThrowIfNullOrEmpty(folderId);
        lock (_foldersLock)
        {
            _store.Write(scope => scope.Command(FolderQueries.Delete).Set("$folder_id", folderId).ExecuteNonQuery());
            _folders.Remove(folderId);
        }
    }

    internal IndexStore Store => _store;

    /// <summary>Closes the file. Enumerations still running finish on their own connections.</summary>
    /// <summary>Bytes SQLite holds in this process (page caches and statements of every open index), for the node's metrics.</summary>
    public static long MemoryInUse => SQLitePCL.raw.sqlite3_memory_used();

    public void Dispose() => _store.Dispose();
}
