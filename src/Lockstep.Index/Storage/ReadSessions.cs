using Microsoft.Data.Sqlite;

namespace Lockstep.Index.Storage;

/// <summary>
/// Read-only connections to one index file, each keeping the statements it has prepared. A query rents a session
/// for as long as its enumeration lives, so nested and concurrent queries each get their own; when it ends the
/// session goes back for the next query, which finds its SQL already compiled. (A fresh command on a pooled
/// connection compiles its SQL on every call: a pull of 10,000 files looked each one up several times, and SQL
/// parsing and code generation came to about a third of the index's CPU.) Under WAL every statement still starts
/// its own read transaction, so a cached statement sees the last commit as a new one would.
/// </summary>
internal sealed class ReadSessions : IDisposable
{
    /// <summary>
    /// Idle sessions kept: enough for a puller's 16 files, the API's requests and the peers' request handlers at once.
    /// A session beyond them is opened and closed again, and opening one (file, WAL index, schema) costs far more than
    /// a query, so the cap sits well above the reads a node normally has in flight. (The pool this replaced kept all.)
    /// </summary>
    private const int MaxIdle = 32;

    /// <summary>
    /// Page cache of each read session, in KiB (SQLite's default is 2 MiB per connection). Every session caches the pages
    /// it has read on its own, and a pull keeps dozens of them busy, so the default let a node hold many copies of the
    /// same index pages: in bench/run-sync.sh's 10,000-file step the receiving node's SQLite memory reached 13 MB. The
    /// pages stay in the kernel's page cache, where a miss here finds them. With 256 KiB the sending node peaked about
    /// 8 MB lower (medians of three interleaved runs) at the same CPU. The writer keeps the default.
    /// </summary>
    internal const int CacheKiB = 256;

    private readonly string _path;
    private readonly string _connectionString;
    private readonly Lock _gate = new();
    private readonly Stack<Session> _idle = new();
    private bool _disposed;
    private long _opened;

    public ReadSessions(string path, string connectionString)
    {
        _path = path;
        _connectionString = connectionString;
    }

    /// <summary>Connections opened so far (tests: reuse means this stays small while queries go on).</summary>
    public long Opened => Interlocked.Read(ref _opened);

    public Session Rent()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.TryPop(out var idle))
                return idle;
        }
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            connection.Exec($"PRAGMA cache_size = -{CacheKiB}"); // negative: a size in KiB, not in pages
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw IndexErrors.OpenFailed(_path, $"a read connection could not be opened: {e.Message}", e);
        }
        Interlocked.Increment(ref _opened);
        return new Session(connection);
    }

    /// <summary>
    /// Hands a session back. One whose query failed is closed instead: whatever state the failure left (a statement
    /// not reset, a connection SQLite gave up on) must not reach the next query.
    /// </summary>
    public void Return(Session session, bool healthy)
    {
        lock (_gate)
        {
            if (healthy && !_disposed && _idle.Count < MaxIdle)
            {
                _idle.Push(session);
                return;
            }
        }
        session.Dispose();
    }

    /// <summary>Closes the idle sessions now; a rented one closes when its query hands it back.</summary>
    public void Dispose()
    {
        Session[] idle;
        lock (_gate)
        {
            _disposed = true;
            idle = _idle.ToArray();
            _idle.Clear();
        }
        foreach (var session in idle)
            session.Dispose();
    }

    internal sealed class Session(SqliteConnection connection) : IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        /// <summary>The prepared command for <paramref name="sql"/>; its parameters keep their last values until set again.</summary>
        public SqliteCommand Command(string sql)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = connection.CreateCommand();
                command.CommandText = sql;
                _commands.Add(sql, command);
            }
            return command;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values)
                command.Dispose();
            connection.Dispose();
        }
    }
}
