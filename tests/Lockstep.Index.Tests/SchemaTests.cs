using Lockstep.Index.Schema;
using Lockstep.Index.Tests.Support;
using static Lockstep.Index.Tests.Support.TestFiles;

namespace Lockstep.Index.Tests;

public sealed class SchemaTests
{
    [Fact]
    public void A_new_file_is_created_at_the_current_version_from_the_schema_scripts()
    {
        using var temp = new TempIndex();

        Assert.Equal(IndexDatabase.CurrentSchemaVersion, temp.Db.SchemaVersion);
        Assert.Equal(IndexDatabase.CurrentSchemaVersion, temp.Scalar("PRAGMA user_version"));
        Assert.Equal(SchemaRunner.ApplicationId, temp.Scalar("PRAGMA application_id"));
        Assert.Equal("schema", temp.ScalarText($"SELECT script FROM schema_history WHERE version = {IndexDatabase.CurrentSchemaVersion}"));
        foreach (var table in new[] { "folders", "local_files", "local_blocks", "devices", "remote_state", "remote_files" })
            Assert.Equal(1, temp.Scalar($"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '{table}'"));
    }

    [Fact]
    public void The_embedded_catalog_runs_the_numbered_schema_files_in_order_and_no_migration_lies_beyond_the_current_version()
    {
        var catalog = SchemaCatalog.Embedded;

        Assert.Equal(IndexDatabase.CurrentSchemaVersion, catalog.CurrentVersion);
        Assert.Equal(
            ["Sql/Schema/10-meta.sql", "Sql/Schema/20-folders.sql", "Sql/Schema/30-files.sql", "Sql/Schema/40-blocks.sql", "Sql/Schema/50-remote.sql"],
            catalog.Schema.Select(s => s.Name));
        Assert.All(catalog.Migrations, m => Assert.InRange(m.Number, 2, IndexDatabase.CurrentSchemaVersion));
    }

    [Fact]
    public void Reopening_a_current_file_changes_neither_version_nor_history()
    {
        using var temp = new TempIndex();
        long history = temp.Scalar("SELECT count(*) FROM schema_history");

        temp.Reopen();

        Assert.Equal(IndexDatabase.CurrentSchemaVersion, temp.Db.SchemaVersion);
        Assert.Equal(history, temp.Scalar("SELECT count(*) FROM schema_history"));
    }

    [Fact]
    public void A_version_0_file_an_empty_database_is_brought_to_the_current_version()
    {
        using var temp = new TempIndex(open: false);
        temp.Exec("PRAGMA user_version = 0"); // creates an SQLite file with no tables
        Assert.Equal(0, temp.Scalar("SELECT count(*) FROM sqlite_schema"));

        var db = temp.Reopen();

        Assert.Equal(IndexDatabase.CurrentSchemaVersion, db.SchemaVersion);
        Assert.Equal(1, db.Folder("f").CommitLocal([File("a", 1).Local()])[0].Sequence);
    }

    [Fact]
    public void A_newer_schema_is_refused_naming_the_file_and_both_versions()
    {
        using var temp = new TempIndex();
        temp.Db.Dispose();
        int newer = IndexDatabase.CurrentSchemaVersion + 5;
        temp.Exec($"PRAGMA user_version = {newer}");

        var ex = Assert.Throws<IndexException>(() => temp.Reopen());

        Assert.Equal(IndexError.NewerSchema, ex.Error);
        Assert.Equal(temp.Path, ex.DatabasePath);
        Assert.Contains(temp.Path, ex.Message);
        Assert.Contains($"version {newer}", ex.Message);
        Assert.Contains($"up to {IndexDatabase.CurrentSchemaVersion}", ex.Message);
        Assert.Equal(newer, temp.Scalar("PRAGMA user_version")); // untouched
    }

    [Fact]
    public void A_foreign_sqlite_database_is_not_taken_for_an_index()
    {
        using var temp = new TempIndex(open: false);
        temp.Exec("CREATE TABLE customers (id INTEGER)");

        var ex = Assert.Throws<IndexException>(() => temp.Reopen());

        Assert.Equal(IndexError.NotAnIndex, ex.Error);
        Assert.Equal(0, temp.Scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'local_files'"));
    }

    [Fact]
    public void A_file_that_is_not_sqlite_is_not_an_index()
    {
        using var temp = new TempIndex(open: false);
        System.IO.File.WriteAllText(temp.Path, new string('x', 4096));

        var ex = Assert.Throws<IndexException>(() => temp.Reopen());

        Assert.Equal(IndexError.NotAnIndex, ex.Error);
        Assert.Contains(temp.Path, ex.Message);
    }
}
