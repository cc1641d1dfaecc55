using Microsoft.Data.Sqlite;

namespace Lockstep.Index.Storage;

internal static class CommandExtensions
{
    /// <summary>
    /// Sets a named parameter, adding it on first use. Cached commands keep their parameter objects, so a
    /// reused command re-binds values without allocating new parameters. A null value binds SQL NULL.
    /// </summary>
    public static SqliteCommand Set(this SqliteCommand command, string name, object? value)
    {
        var parameters = command.Parameters;
        int i = parameters.IndexOf(name);
        if (i >= 0)
            parameters[i].Value = value ?? DBNull.Value;
        else
            parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    /// <summary>Unsigned 64-bit values live in INTEGER columns as their two's complement (see 30-files.sql).</summary>
    public static SqliteCommand SetUInt64(this SqliteCommand command, string name, ulong value) =>
        command.Set(name, unchecked((long)value));

    public static ulong GetUInt64(this SqliteDataReader reader, int ordinal) => unchecked((ulong)reader.GetInt64(ordinal));

    /// <summary>A BLOB column's bytes; NULL reads as empty.</summary>
    public static byte[] GetBlob(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? [] : reader.GetFieldValue<byte[]>(ordinal);

    public static void Exec(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    public static T ScalarOf<T>(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
