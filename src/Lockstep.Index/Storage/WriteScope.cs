using Microsoft.Data.Sqlite;

namespace Lockstep.Index.Storage;

/// <summary>
/// One write transaction on the writer connection, handed to the body of <see cref="IndexStore.Write{T}"/>.
/// Valid only inside that body, on that thread.
/// </summary>
internal readonly struct WriteScope
{
    private readonly IndexStore _store;
    private readonly SqliteTransaction _transaction;

    public WriteScope(IndexStore store, SqliteTransaction transaction)
    {
        _store = store;
        _transaction = transaction;
    }

    /// <summary>A prepared command for this SQL, reused across transactions; set every parameter before running it.</summary>
    public SqliteCommand Command(string sql) => _store.CachedCommand(sql, _transaction);
}
