using Lockstep.Index.Storage;
using Microsoft.Data.Sqlite;

namespace Lockstep.Index.Schema;

/// <summary>
/// Brings a database file to the catalog's schema version at open (rules in Sql/Migrations/README.md).
///
/// user_version 0 means a new, empty file: the schema scripts create the latest schema directly. A lower
/// version runs the migrations numbered above it, in order, then the schema scripts. A higher version is
/// refused: this build cannot know what a newer one changed. Everything happens in one transaction, so
/// a failure leaves the file at its old version.
/// </summary>
internal static class SchemaRunner
{
    /// <summary>PRAGMA application_id of a Lockstep index: "LKSI".</summary>
    public const int ApplicationId = 0x4C4B5349;

    /// <summary>Returns the schema version the file has afterwards (the catalog's current version).</summary>
    public static int Apply(SqliteConnection connection, string path, SchemaCatalog catalog)
    {
        // Off outside the transaction (SQLite ignores the pragma inside one) so a migration may rebuild a table;
        // foreign_key_check below stands in for it. IndexStore turns foreign keys on after the open.
        connection.Exec("PRAGMA foreign_keys = OFF");
        // IMMEDIATE before reading the version: a second process opening the same new file waits here and
        // then finds it created, instead of both deciding to create it.
        using var transaction = connection.BeginTransaction(deferred: false);
        long applicationId = connection.ScalarOf<long>("PRAGMA application_id", transaction);
        long version = connection.ScalarOf<long>("PRAGMA user_version", transaction);
        if (applicationId != 0 && applicationId != ApplicationId)
            throw IndexErrors.NotAnIndex(path, $"its application_id is 0x{applicationId:X8}, not 0x{ApplicationId:X8}");
        if (version > catalog.CurrentVersion)
            throw IndexErrors.NewerSchema(path, version, catalog.CurrentVersion);
        if (version == 0 && connection.ScalarOf<long>("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'", transaction) > 0)
            throw IndexErrors.NotAnIndex(path, "it already holds tables but has no schema version");

        var migrations = version == 0 ? [] : catalog.Migrations.Where(m => m.Number > version).ToList();
        string step = "";
        try
        {
            foreach (var migration in migrations)
            {
                step = migration.Name;
                connection.Exec(migration.Text, transaction);
            }
            foreach (var script in catalog.Schema)
            {
                step = script.Name;
                connection.Exec(script.Text, transaction);
            }
            step = "the foreign key check";
            if (migrations.Count > 0 && connection.ScalarOf<long>("SELECT count(*) FROM pragma_foreign_key_check", transaction) > 0)
                throw new InvalidOperationException("rows violate foreign keys after the migrations");
            step = "recording the schema version";
            if (version != catalog.CurrentVersion)
                Record(connection, transaction, catalog.CurrentVersion, migrations);
            transaction.Commit();
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            throw IndexErrors.MigrationFailed(path, version, catalog.CurrentVersion, step, ex);
        }
        return catalog.CurrentVersion;
    }

    private static void Record(SqliteConnection connection, SqliteTransaction transaction, int current, List<SqlScript> migrations)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT OR REPLACE INTO schema_history (version, script, applied_at) VALUES ($version, $script, $at)";
        foreach (var m in migrations)
            insert.Set("$version", m.Number).Set("$script", m.Name).Set("$at", now).ExecuteNonQuery();
        if (migrations.Count == 0 || migrations[^1].Number != current)
            insert.Set("$version", current).Set("$script", "schema").Set("$at", now).ExecuteNonQuery();
        // Pragmas take no parameters; both values are integers formatted here.
        connection.Exec($"PRAGMA user_version = {current}", transaction);
        connection.Exec($"PRAGMA application_id = {ApplicationId}", transaction);
    }
}
