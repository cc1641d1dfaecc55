using Lockstep.Index.Tests.Support;
using static Lockstep.Index.Tests.Support.TestFiles;

namespace Lockstep.Index.Tests;

/// <summary>Reads reuse their connections and prepared statements, and still see every commit (ReadSessions).</summary>
public sealed class ReadSessionTests
{
    [Fact]
    public void Thousands_of_lookups_reuse_one_connection_and_each_sees_the_commit_before_it()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        long before = temp.Db.Store.ReadConnectionsOpened;
        for (int i = 0; i < 2000; i++)
        {
            folder.CommitLocal([File("a.txt", i + 1).Local()]);
            // The same prepared statement, run again: it must read the row as just committed, not a stale snapshot.
            Assert.Equal((uint)(i + 1), Seed(folder.GetLocal("a.txt")!));
        }
        Assert.Equal(2000, folder.LocalSince(0).Single().Sequence);
        Assert.True(temp.Db.Store.ReadConnectionsOpened - before <= 1,
            $"{temp.Db.Store.ReadConnectionsOpened - before} read connections opened for 2001 sequential reads");
    }

    [Fact]
    public void A_query_inside_an_enumeration_gets_its_own_session_and_an_abandoned_one_hands_its_back()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        folder.CommitLocal(Enumerable.Range(0, 50).Select(i => File($"f{i:D2}", i + 1).Local()).ToList());

        // Nested: every row of the outer enumeration looks its name up again while the outer statement is still open.
        int rows = 0;
        foreach (var file in folder.LocalSince(0))
        {
            Assert.Equal(Seed(file), Seed(folder.GetLocal(file.Name)!));
            rows++;
        }
        Assert.Equal(50, rows);
        long opened = temp.Db.Store.ReadConnectionsOpened;
        Assert.True(opened <= 2, $"{opened} connections for one enumeration with lookups nested in it");

        // Enumerations left at their first row (First, a break) return their session with its statement reset.
        for (int i = 0; i < 500; i++)
            Assert.Equal("f00", folder.LocalSince(0).First().Name);
        Assert.Equal(opened, temp.Db.Store.ReadConnectionsOpened);

        // ...and the statement reset means the WAL can be checkpointed behind them: a commit after them lands and is read.
        folder.CommitLocal([File("late", 7).Local()]);
        Assert.Equal(7u, Seed(folder.GetLocal("late")!));
    }

    [Fact]
    public void Read_sessions_keep_a_small_page_cache_each_and_the_writer_the_default()
    {
        using var temp = new TempIndex();
        temp.Db.Folder("f").CommitLocal([File("a.txt", 1).Local()]);
        long reader = temp.Db.Store.Query("PRAGMA cache_size", _ => { }, r => r.GetInt64(0)).Single();
        Assert.Equal(-Lockstep.Index.Storage.ReadSessions.CacheKiB, reader);
        Assert.Equal(-2000, temp.Db.Store.WriterPragma("cache_size")); // SQLite's default, 2,000 KiB
    }

    [Fact]
    public async Task Concurrent_readers_each_get_a_session_and_every_one_is_closed_with_the_database()
    {
        var temp = new TempIndex();
        try
        {
            var folder = temp.Db.Folder("f");
            folder.CommitLocal(Enumerable.Range(0, 200).Select(i => File($"c{i:D3}", i + 1).Local()).ToList());
            using (var start = new Barrier(8))
            {
                await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
                {
                    start.SignalAndWait();
                    for (int round = 0; round < 20; round++)
                        Assert.Equal(200, folder.LocalSince(0).Count());
                })));
            }
            // At most eight are ever rented at once and eight are kept idle, so none is opened twice.
            Assert.InRange(temp.Db.Store.ReadConnectionsOpened, 1, 8);
            Assert.True(OpenHandles(temp.Path) >= 2, "the writer and the idle readers hold the file");
            temp.Db.Dispose();
            Assert.Equal(0, OpenHandles(temp.Path));
            Assert.False(System.IO.File.Exists(temp.Path + "-wal"), "the WAL is left: a connection was still open when the writer closed");

            // An enumeration still running when the database closes finishes, and its connection closes after it.
            var db = temp.Reopen();
            var reopened = db.Folder("f");
            using (var live = reopened.LocalSince(0).GetEnumerator())
            {
                Assert.True(live.MoveNext());
                db.Dispose();
                // The running enumeration's connection is left (SQLite may also hold the writer's descriptor until
                // then: closing it would drop the reader's POSIX locks with it).
                Assert.True(OpenHandles(temp.Path) >= 1);
                int rows = 1;
                while (live.MoveNext())
                    rows++;
                Assert.Equal(200, rows);
                Assert.Equal(0, OpenHandles(temp.Path)); // it closed as the enumeration ended
            }
            Assert.Throws<ObjectDisposedException>(() => reopened.GetLocal("c000"));
        }
        finally
        {
            temp.Dispose();
        }
    }

    [Fact]
    public void A_read_connection_that_cannot_be_opened_is_an_index_error_naming_the_file()
    {
        var temp = new TempIndex();
        try
        {
            var folder = temp.Db.Folder("f"); // written through the writer: no read connection exists yet
            // The directory holding the index goes away under the node (a removed volume, a test's cleanup).
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(temp.Path)!))
                System.IO.File.Delete(file);
            Directory.Delete(Path.GetDirectoryName(temp.Path)!);
            var e = Assert.Throws<IndexException>(() => folder.GetLocal("x"));
            Assert.Equal(IndexError.OpenFailed, e.Error);
            Assert.Contains(temp.Path, e.Message);
        }
        finally
        {
            Directory.CreateDirectory(Path.GetDirectoryName(temp.Path)!);
            temp.Dispose();
        }
    }

    [Fact]
    public void Twenty_reads_in_flight_at_once_leave_their_connections_for_the_next_twenty()
    {
        // A node has this many reads in flight at times (a puller's 16 files, API requests, peers' requests): each
        // connection past the idle cap would be opened and closed again every time, which costs far more than a query.
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        folder.CommitLocal([File("a", 1).Local()]);
        for (int round = 0; round < 3; round++)
        {
            var open = Enumerable.Range(0, 20).Select(_ => folder.LocalSince(0).GetEnumerator()).ToList();
            Assert.All(open, e => Assert.True(e.MoveNext()));
            open.ForEach(e => e.Dispose());
        }
        Assert.Equal(20, temp.Db.Store.ReadConnectionsOpened);
    }

    /// <summary>The content seed a test file was made from (TestFiles.File keeps it as the first block's weak hash).</summary>
    private static uint Seed(Lockstep.Protocol.Messages.FileInfo file) => file.Blocks[0].WeakHash;

    /// <summary>This process's open descriptors on the index file itself.</summary>
    private static int OpenHandles(string path)
    {
        var full = Path.GetFullPath(path);
        int count = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new System.IO.FileInfo(fd).LinkTarget == full)
                    count++;
            }
            catch (IOException)
            {
                // closed between listing and reading
            }
        }
        return count;
    }
}
