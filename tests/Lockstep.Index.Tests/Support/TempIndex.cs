using Lockstep.Testing;
using Microsoft.Data.Sqlite;

namespace Lockstep.Index.Tests.Support;

/// <summary>A real index file in a fresh temporary directory, removed (with its WAL) on dispose.</summary>
internal sealed class TempIndex : IDisposable
{
    private readonly TempDirectory _directory = new("lockstep-index");
    private IndexDatabase? _db;

    public TempIndex(bool open = true)
    {
        Path = _directory.Combine("index.db");
        if (open)
            Db = IndexDatabase.Open(Path);
    }

    public string Path { get; }

    public IndexDatabase Db { get => _db ?? throw new InvalidOperationException("not open"); private set => _db = value; }

    /// <summary>Closes and opens the file again, as a node restart does.</summary>
    public IndexDatabase Reopen()
    {
        _db?.Dispose();
        Db = IndexDatabase.Open(Path);
        return Db;
    }

    /// <summary>A plain connection to the file, outside the index's own connections, for looking behind the API.</summary>
    public SqliteConnection Raw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public long Scalar(string sql) => Convert.ToInt64(ScalarObject(sql));

    public string? ScalarText(string sql) => ScalarObject(sql) as string;

    private object? ScalarObject(string sql)
    {
        using var connection = Raw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Exec(string sql)
    {
        using var connection = Raw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _db?.Dispose(); // closes its pooled readers too
        _directory.Dispose();
    }
}
