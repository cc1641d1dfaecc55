using Lockstep.Index.Tests.Support;
using Lockstep.Protocol.Messages;
using static Lockstep.Index.Tests.Support.TestFiles;

namespace Lockstep.Index.Tests;

public sealed class BlockLookupTests
{
    [Fact]
    public void FindBlock_finds_every_file_and_offset_holding_a_hash()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        folder.CommitLocal(Locals(File("b", 7, 1, 7), File("a", 2, 7)));

        Assert.Equal(
            [new BlockLocation("a", BlockSize, BlockSize), new BlockLocation("b", 0, BlockSize), new BlockLocation("b", 2L * BlockSize, BlockSize)],
            folder.FindBlock(Hash(7)));
        Assert.Equal([new BlockLocation("b", BlockSize, BlockSize)], folder.FindBlock(Hash(1)));
        Assert.Empty(folder.FindBlock(Hash(99)));
    }

    [Fact]
    public void FindBlock_forgets_replaced_blocks_and_learns_the_new_ones()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        folder.CommitLocal(Locals(File("a", 1, 2)));

        folder.CommitLocal(Locals(File("a", 2, 3)));

        Assert.Empty(folder.FindBlock(Hash(1)));
        Assert.Equal([new BlockLocation("a", 0, BlockSize)], folder.FindBlock(Hash(2)));
        Assert.Equal([new BlockLocation("a", BlockSize, BlockSize)], folder.FindBlock(Hash(3)));
        Assert.Equal(2, temp.Scalar("SELECT count(*) FROM local_blocks"));
    }

    [Fact]
    public void Only_live_regular_files_offer_blocks()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        var withBlocks = File("x", 1);

        folder.CommitLocal(Locals(
            withBlocks with { Name = "dir", Type = FileInfoType.Directory },
            withBlocks with { Name = "link", Type = FileInfoType.Symlink },
            withBlocks with { Name = "gone", Deleted = true },
            withBlocks with { Name = "ignored", Invalid = true }));

        Assert.Equal([new BlockLocation("ignored", 0, BlockSize)], folder.FindBlock(Hash(1)));
        Assert.Single(folder.GetLocal("gone")!.Blocks); // stored as given, just not offered for reuse
    }

    [Fact]
    public void A_file_turned_into_a_directory_no_longer_offers_its_blocks()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        folder.CommitLocal(Locals(File("x", 1)));

        folder.CommitLocal(Locals(Dir("x")));

        Assert.Empty(folder.FindBlock(Hash(1)));
    }

    [Fact]
    public void FindBlock_looks_only_in_its_own_folder()
    {
        using var temp = new TempIndex();
        temp.Db.Folder("one").CommitLocal(Locals(File("a", 1)));
        temp.Db.Folder("two").CommitLocal(Locals(File("b", 1)));

        Assert.Equal([new BlockLocation("b", 0, BlockSize)], temp.Db.Folder("two").FindBlock(Hash(1)));
    }

    [Fact]
    public void Block_lookups_survive_a_restart()
    {
        using var temp = new TempIndex();
        temp.Db.Folder("f").CommitLocal(Locals(File("a", 4, 5)));

        Assert.Equal([new BlockLocation("a", BlockSize, BlockSize)], temp.Reopen().Folder("f").FindBlock(Hash(5)));
    }
}
