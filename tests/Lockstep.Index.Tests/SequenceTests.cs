using Lockstep.Index.Tests.Support;
using static Lockstep.Index.Tests.Support.TestFiles;

namespace Lockstep.Index.Tests;

public sealed class SequenceTests
{
    [Fact]
    public void Sequences_increase_strictly_across_commits_and_restarts_and_are_never_reused()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");

        var first = folder.CommitLocal(Locals(File("a", 1), File("b", 2), File("c", 3)));
        Assert.Equal([1L, 2L, 3L], first.Select(f => f.Sequence));
        // Replacing "c", the row holding the highest sequence, must not let 3 be handed out again.
        var second = folder.CommitLocal(Locals(File("c", 4)));
        Assert.Equal(4, second[0].Sequence);
        Assert.Equal(4, folder.MaxSequence);

        folder = temp.Reopen().Folder("f");
        Assert.Equal(4, folder.MaxSequence);
        var third = folder.CommitLocal(Locals(Tombstone(File("c", 4)), File("d", 5)));

        Assert.Equal([5L, 6L], third.Select(f => f.Sequence));
        Assert.Equal([1L, 2L, 5L, 6L], folder.EnumerateLocal().Select(f => f.Sequence));
        Assert.Equal(6, folder.MaxSequence);
    }

    [Fact]
    public void Sequences_are_per_folder()
    {
        using var temp = new TempIndex();

        temp.Db.Folder("one").CommitLocal(Locals(File("a", 1), File("b", 2)));
        var other = temp.Db.Folder("two").CommitLocal(Locals(File("a", 1)));

        Assert.Equal(1, other[0].Sequence);
        Assert.Equal(2, temp.Db.Folder("one").MaxSequence);
    }

    [Fact]
    public void An_empty_commit_changes_nothing()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        folder.CommitLocal(Locals(File("a", 1)));

        Assert.Empty(folder.CommitLocal([]));
        Assert.Equal(1, folder.MaxSequence);
        Assert.Equal(2, folder.CommitLocal(Locals(File("b", 1)))[0].Sequence);
    }

    [Fact]
    public void A_failed_commit_stores_nothing_and_consumes_no_sequence()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        folder.CommitLocal(Locals(File("a", 1)));
        var unstorable = File("bad", 2) with { Blocks = [new Protocol.Messages.BlockInfo(0, 1, new byte[300])] };

        Assert.ThrowsAny<ArgumentException>(() => folder.CommitLocal(Locals(File("b", 2), unstorable)));

        Assert.Null(folder.GetLocal("b"));
        Assert.Equal(1, folder.MaxSequence);
        Assert.Equal(2, folder.CommitLocal(Locals(File("b", 2)))[0].Sequence);
    }

    [Fact]
    public void A_name_changed_twice_in_one_commit_keeps_the_later_change_and_both_take_a_sequence()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");

        var stored = folder.CommitLocal(Locals(File("a", 1), File("a", 2)));

        Assert.Equal([1L, 2L], stored.Select(f => f.Sequence));
        AssertSameFile(stored[1], folder.GetLocal("a"));
        Assert.Single(folder.EnumerateLocal());
    }

    [Fact]
    public void The_index_id_is_random_non_zero_per_folder_persisted_and_changed_only_by_reset()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        folder.CommitLocal(Locals(File("a", 1)));
        ulong id = folder.IndexId;

        Assert.NotEqual(0UL, id);
        Assert.NotEqual(id, temp.Db.Folder("g").IndexId);
        Assert.Equal(id, temp.Reopen().Folder("f").IndexId);

        folder = temp.Db.Folder("f");
        folder.ResetIndexId();
        ulong reset = folder.IndexId;

        Assert.NotEqual(0UL, reset);
        Assert.NotEqual(id, reset);
        Assert.Equal(reset, temp.Reopen().Folder("f").IndexId);
        Assert.Equal(1, temp.Db.Folder("f").MaxSequence); // a reset renames the numbering; it does not rewrite it
    }

    [Fact]
    public void Dropping_a_folder_removes_everything_and_a_recreated_folder_starts_afresh()
    {
        using var temp = new TempIndex();
        var old = temp.Db.Folder("f");
        old.CommitLocal(Locals(File("a", 1)));
        old.UpdateRemote(Device(1), [File("r", 2) with { Sequence = 5 }]);
        ulong oldId = old.IndexId;
        temp.Db.Folder("other").CommitLocal(Locals(File("a", 1)));

        temp.Db.DropFolder("f");

        Assert.Equal(["other"], temp.Db.FolderIds());
        Assert.Equal(1, temp.Scalar("SELECT count(*) FROM local_files"));
        Assert.Equal(1, temp.Scalar("SELECT count(*) FROM local_blocks"));
        Assert.Equal(0, temp.Scalar("SELECT count(*) FROM remote_files"));
        Assert.Equal(0, temp.Scalar("SELECT count(*) FROM remote_state"));
        var ex = Assert.Throws<IndexException>(() => old.CommitLocal(Locals(File("b", 1))));
        Assert.Equal(IndexError.FolderDropped, ex.Error);
        Assert.Null(old.GetLocal("a"));

        var fresh = temp.Db.Folder("f");
        Assert.NotSame(old, fresh);
        Assert.NotEqual(oldId, fresh.IndexId);
        Assert.Equal(1, fresh.CommitLocal(Locals(File("a", 1)))[0].Sequence);
        Assert.Empty(fresh.FindBlock(Hash(2)));
        Assert.Null(old.GetLocal("a")); // the old handle never sees the new folder
    }
}
