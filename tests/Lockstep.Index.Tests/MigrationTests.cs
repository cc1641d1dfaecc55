using Lockstep.Index.Schema;
using Lockstep.Index.Tests.Support;
using static Lockstep.Index.Tests.Support.TestFiles;

namespace Lockstep.Index.Tests;

/// <summary>
/// The upgrade path, run with a catalog that has a history the shipped one does not have yet: a version-1
/// file built by hand, migrations 02 and 03, and a schema whose latest shape depends on both.
/// </summary>
public sealed class MigrationTests
{
    private const string V1Notes = "CREATE TABLE notes (name TEXT NOT NULL); INSERT INTO notes VALUES ('a'), ('bbb');";

    // Latest shape of the fake table: a column added by 02, filled by 03, indexed by the schema script.
    private static readonly SqlScript NotesSchema = new("Sql/Schema/90-notes.sql",
        "CREATE TABLE IF NOT EXISTS notes (name TEXT NOT NULL, length INTEGER NOT NULL DEFAULT 0);" +
        "CREATE INDEX IF NOT EXISTS notes_length ON notes (length);");

    private static readonly SqlScript AddLength = new("Sql/Migrations/02-notes-length.sql",
        "ALTER TABLE notes ADD COLUMN length INTEGER NOT NULL DEFAULT 0;");

    private static readonly SqlScript FillLength = new("Sql/Migrations/03-fill-length.sql",
        "UPDATE notes SET length = length(name);");

    private static SchemaCatalog Version3(SqlScript third) =>
        new(3, SchemaCatalog.Embedded.Schema.Append(NotesSchema), [AddLength, third]);

    /// <summary>A version-1 index (the real schema at version 1) plus a table of the fake history, with data.</summary>
    private static void BuildVersion1(TempIndex temp)
    {
        using (var db = IndexDatabase.Open(temp.Path, new SchemaCatalog(1, SchemaCatalog.Embedded.Schema, [])))
            db.Folder("f").CommitLocal([File("kept", 1).Local()]);
        temp.Exec(V1Notes);
    }

    [Fact]
    public void A_version_1_file_runs_the_later_migrations_in_order_and_keeps_its_data()
    {
        using var temp = new TempIndex(open: false);
        BuildVersion1(temp);

        using var db = IndexDatabase.Open(temp.Path, Version3(FillLength));

        Assert.Equal(3, db.SchemaVersion);
        Assert.Equal(3, temp.Scalar("PRAGMA user_version"));
        Assert.Equal(3, temp.Scalar("SELECT length FROM notes WHERE name = 'bbb'")); // 02 ran before 03
        Assert.Equal(1, temp.Scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'notes_length'")); // schema ran after
        Assert.Equal("Sql/Migrations/02-notes-length.sql", temp.ScalarText("SELECT script FROM schema_history WHERE version = 2"));
        Assert.Equal("Sql/Migrations/03-fill-length.sql", temp.ScalarText("SELECT script FROM schema_history WHERE version = 3"));
        Assert.NotNull(db.Folder("f").GetLocal("kept"));
        Assert.Equal(2, db.Folder("f").CommitLocal([File("new", 2).Local()])[0].Sequence);
    }

    [Fact]
    public void A_failing_migration_leaves_the_file_at_its_old_version_and_names_the_script()
    {
        using var temp = new TempIndex(open: false);
        BuildVersion1(temp);
        var broken = new SqlScript("Sql/Migrations/03-broken.sql", "UPDATE no_such_table SET x = 1;");

        var ex = Assert.Throws<IndexException>(() => IndexDatabase.Open(temp.Path, Version3(broken)));

        Assert.Equal(IndexError.MigrationFailed, ex.Error);
        Assert.Contains("03-broken.sql", ex.Message);
        Assert.Contains(temp.Path, ex.Message);
        Assert.Equal(1, temp.Scalar("PRAGMA user_version"));
        Assert.Equal(0, temp.Scalar("SELECT count(*) FROM pragma_table_info('notes') WHERE name = 'length'")); // 02 rolled back
        using var db = IndexDatabase.Open(temp.Path, new SchemaCatalog(1, SchemaCatalog.Embedded.Schema, []));
        Assert.NotNull(db.Folder("f").GetLocal("kept"));
    }

    [Fact]
    public void A_migration_that_breaks_a_foreign_key_is_refused()
    {
        using var temp = new TempIndex(open: false);
        BuildVersion1(temp);
        // Deleting the folder row directly (foreign keys are off during migrations) would orphan its files.
        var orphaning = new SqlScript("Sql/Migrations/03-orphan.sql", "DELETE FROM folders;");

        var ex = Assert.Throws<IndexException>(() => IndexDatabase.Open(temp.Path, Version3(orphaning)));

        Assert.Equal(IndexError.MigrationFailed, ex.Error);
        Assert.Equal(1, temp.Scalar("SELECT count(*) FROM folders"));
    }

    [Theory]
    [InlineData(1, "Sql/Migrations/01-first.sql")] // version 1 is created by the schema, never migrated to
    [InlineData(3, "Sql/Migrations/04-beyond.sql")]
    public void A_catalog_with_a_migration_outside_its_versions_is_rejected(int current, string name)
    {
        Assert.Throws<ArgumentException>(() => new SchemaCatalog(current, [], [new SqlScript(name, "SELECT 1;")]));
    }
}
