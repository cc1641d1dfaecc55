using Microsoft.Data.Sqlite;

namespace Lockstep.Index.Storage;

/// <summary>
/// The connections to one index database file.
///
/// Writes go through one writer connection, serialized by a lock, each in a BEGIN IMMEDIATE transaction
/// with commands that are prepared once and reused (the reason 10,000 files commit in milliseconds
/// rather than seconds). Reads open a pooled read-only connection per call or per enumeration: under WAL
/// a reader sees the last committed state without blocking the writer or other readers, so a long
/// enumeration can stream while commits continue. (While one is open, the WAL cannot be checkpointed
/// past it; keep enumerations short-lived.)
/// </summary>
internal sealed class IndexStore : IDisposable
{
    private const int BusyTimeoutSeconds = 30;
    private const int SqliteNotADatabase = 26; // SQLITE_NOTADB

    private readonly Lock _writeLock = new();
    private readonly SqliteConnection _writer;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly ReadSessions _readers;
    private volatile bool _disposed;

    private IndexStore(string path, SqliteConnection writer, int schemaVersion)
    {
        Path = path;
        _writer = writer;
        SchemaVersion = schemaVersion;
        _readers = new ReadSessions(path, new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false, // ReadSessions keeps them, with their prepared statements; closing one must really close it
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString());
    }

    public string Path { get; }

    public int SchemaVersion { get; }

    /// <summary>Opens (creating if needed) the file, switches it to WAL and brings its schema to the catalog's version.</summary>
    public static IndexStore Open(string path, Schema.SchemaCatalog catalog)
    {
        _ = SqliteThreading.Result; // before the first connection: no per-call mutexes
        var fullPath = System.IO.Path.GetFullPath(path);
        var writer = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false, // owned for the store's lifetime; closing it must really close the file
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString());
        try
        {
            try
            {
                writer.Open();
                writer.Exec($"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000}");
                var mode = writer.ScalarOf<string>("PRAGMA journal_mode = WAL");
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                    throw IndexErrors.OpenFailed(fullPath, $"the file system does not support WAL mode (SQLite stayed in '{mode}')");
                // NORMAL under WAL: a commit is durable once the WAL is synced at checkpoint; a power cut can lose the
                // last commits but never corrupts the file. The index is rebuilt from disk by a rescan anyway.
                writer.Exec("PRAGMA synchronous = NORMAL");
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteNotADatabase)
            {
                throw IndexErrors.NotAnIndex(fullPath, ex.Message);
            }
            catch (SqliteException ex)
            {
                throw IndexErrors.OpenFailed(fullPath, ex.Message, ex);
            }
            int version = Schema.SchemaRunner.Apply(writer, fullPath, catalog);
            writer.Exec("PRAGMA foreign_keys = ON");
            return new IndexStore(fullPath, writer, version);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    private long _writes;

    /// <summary>How many write transactions have committed: a change stamp that costs no query.</summary>
    public long WriteCount => Interlocked.Read(ref _writes);

    /// <summary>Runs <paramref name="body"/> in one write transaction, serialized with every other write; commits if it returns.</summary>
    public T Write<T>(Func<WriteScope, T> body)
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: no upgrade deadlocks
            var result = body(new WriteScope(this, transaction));
            transaction.Commit();
            Interlocked.Increment(ref _writes); // after the commit: whoever sees the new count can read the new rows
            return result;
        }
    }

    public void Write(Action<WriteScope> body) => Write<bool>(scope =>
    {
        body(scope);
        return true;
    });

    /// <summary>Only called from a <see cref="WriteScope"/>, so under the write lock.</summary>
    internal SqliteCommand CachedCommand(string sql, SqliteTransaction transaction)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _writer.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            command.Prepare();
            _commands.Add(sql, command);
        }
        command.Transaction = transaction;
        return command;
    }

    /// <summary>A pragma's value on the writer connection (per-connection settings such as synchronous are not visible elsewhere).</summary>
    internal long WriterPragma(string name)
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _writer.ScalarOf<long>($"PRAGMA {name}");
        }
    }

    /// <summary>Read connections opened so far (each is reused with its prepared statements).</summary>
    internal long ReadConnectionsOpened => _readers.Opened;

    /// <summary>Streams the rows of a query on a read session of its own, which it holds as long as the enumeration.</summary>
    public IEnumerable<T> Query<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> map)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var session = _readers.Rent();
        bool healthy = false;
        try
        {
            var command = session.Command(sql);
            bind(command);
            using var reader = command.ExecuteReader();
            while (true)
            {
                healthy = false; // a failure from here on closes the session
                if (!reader.Read())
                    break;
                var row = map(reader);
                healthy = true; // an enumeration left at a row (First, a break) hands back a good session
                yield return row;
            }
            healthy = true;
        }
        finally
        {
            _readers.Return(session, healthy);
        }
    }

    /// <summary>The first row of a query mapped, or <paramref name="none"/> when there is no row.</summary>
    public T QueryFirst<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> map, T none)
    {
        foreach (var row in Query(sql, bind, map))
            return row; // leaving at the first row hands the session back with its statement reset
        return none;
    }

    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed)
                return;
            _disposed = true;
            foreach (var command in _commands.Values)
                command.Dispose();
            _commands.Clear();
            // Idle readers close now, busy ones when their enumeration ends. The writer closes last, so
            // (without live readers) SQLite checkpoints the WAL into the main file and removes it.
            _readers.Dispose();
            _writer.Dispose();
        }
    }
}
