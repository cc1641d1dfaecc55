using Lockstep.Index.Tests.Support;
using static Lockstep.Index.Tests.Support.TestFiles;

namespace Lockstep.Index.Tests;

public sealed class CountsTests
{
    [Fact]
    public void LocalCounts_counts_live_entries_by_kind_tombstones_and_live_file_bytes()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        var doomed = File("doomed", 1, 2, 3);
        folder.CommitLocal(Locals(File("a", 1), File("b", 1, 2), doomed, Dir("d"), Dir("d2"), Symlink("l", "a"),
            Symlink("l2", "b") with { Type = Protocol.Messages.FileInfoType.SymlinkFile }));
        folder.CommitLocal(Locals(Tombstone(doomed), Tombstone(Dir("d2"))));

        Assert.Equal(new FolderCounts(Files: 2, Directories: 1, Symlinks: 2, Deleted: 2, Bytes: 3L * BlockSize), folder.LocalCounts());
    }

    [Fact]
    public void An_empty_folder_counts_zero()
    {
        using var temp = new TempIndex();

        Assert.Equal(new FolderCounts(0, 0, 0, 0, 0), temp.Db.Folder("f").LocalCounts());
    }

    [Fact]
    public void Counts_are_per_folder()
    {
        using var temp = new TempIndex();
        temp.Db.Folder("one").CommitLocal(Locals(File("a", 1)));
        temp.Db.Folder("two").CommitLocal(Locals(Dir("d")));

        Assert.Equal(new FolderCounts(0, 1, 0, 0, 0), temp.Db.Folder("two").LocalCounts());
    }
}
