using System.Collections.Immutable;
using Lockstep.Index.Tests.Support;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using static Lockstep.Index.Tests.Support.TestFiles;

namespace Lockstep.Index.Tests;

public sealed class LocalFileTests
{
    /// <summary>Every field set to a value that a lossy column type, sign or truncation would change.</summary>
    private static FileInfo EveryField(string name) => new()
    {
        Name = name,
        Type = FileInfoType.File,
        Size = 5_000_000_000,
        Permissions = 0b111_101_000,
        ModifiedS = -86_400, // before 1970
        ModifiedNs = 999_999_999,
        Deleted = false,
        Invalid = true,
        NoPermissions = true,
        Version = VersionVector.From([
            new Counter(new ShortId(ulong.MaxValue), ulong.MaxValue),
            new Counter(new ShortId(0x8000_0000_0000_0001), (ulong)long.MaxValue + 7),
            new Counter(new ShortId(3), 1),
        ]),
        Sequence = 0,
        ModifiedBy = new ShortId(0xFEDC_BA98_7654_3210),
        BlockSize = 16 * 1024 * 1024,
        Blocks = [
            new BlockInfo(0, 16 * 1024 * 1024, Hash(1), uint.MaxValue),
            new BlockInfo(16L * 1024 * 1024, 1234, Hash(2), 0),
        ],
        SymlinkTarget = "",
    };

    [Fact]
    public void Every_field_round_trips_including_unsigned_values_above_long_max()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        var symlink = new FileInfo
        {
            Name = "dir/link ✓",
            Type = FileInfoType.SymlinkDirectory,
            SymlinkTarget = "../target dir/ü",
            Deleted = false,
            NoPermissions = false,
            Permissions = 0b111_111_111,
            ModifiedS = 1_700_000_001,
            ModifiedNs = 1,
            Version = VersionVector.From([new Counter(new ShortId(5), 2)]),
            ModifiedBy = new ShortId(5),
        };

        var stored = folder.CommitLocal([EveryField("every/field").Local(inode: ulong.MaxValue - 1), symlink.Local()]);

        Assert.Equal(1, stored[0].Sequence);
        AssertSameFile(EveryField("every/field") with { Sequence = 1 }, stored[0]);
        AssertSameFile(stored[0], folder.GetLocal("every/field"));
        AssertSameFile(symlink with { Sequence = 2 }, folder.GetLocal("dir/link ✓"));
        Assert.Equal(ulong.MaxValue - 1, folder.GetInode("every/field"));
        AssertSameFile(stored[0], temp.Reopen().Folder("f").GetLocal("every/field"));
    }

    [Fact]
    public void Metadata_rows_carry_every_field_but_version_and_blocks()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        var file = folder.CommitLocal([EveryField("m").Local(inode: ulong.MaxValue)])[0];

        var meta = Assert.Single(folder.EnumerateLocalMeta());

        Assert.Equal(new LocalFileMeta(file.Name, file.Type, file.Size, file.ModifiedS, file.ModifiedNs, file.Permissions,
            file.NoPermissions, file.Deleted, file.Invalid, ulong.MaxValue, file.SymlinkTarget, file.Sequence, file.BlockSize), meta);
        Assert.Equal(meta, folder.GetLocalMeta("m")); // the same row looked up by name
        Assert.Null(folder.GetLocalMeta("M"));        // names compare bytewise
        Assert.Null(temp.Db.Folder("other").GetLocalMeta("m"));
    }

    [Fact]
    public void A_tombstone_replaces_the_row_by_name_and_its_block_lookups()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        var file = folder.CommitLocal([File("doc.txt", 1, 2).Local(inode: 9)])[0];

        var tombstone = folder.CommitLocal([Tombstone(file).Local()])[0];

        var stored = folder.GetLocal("doc.txt");
        AssertSameFile(tombstone, stored);
        Assert.True(stored!.Deleted);
        Assert.Empty(stored.Blocks);
        Assert.Equal(1, temp.Scalar("SELECT count(*) FROM local_files"));
        Assert.Empty(folder.FindBlock(Hash(1)));
        Assert.Empty(folder.FindBlock(Hash(2)));
        Assert.Equal(0UL, folder.GetInode("doc.txt"));
        Assert.True(Assert.Single(folder.EnumerateLocalMeta()).Deleted);
    }

    [Fact]
    public void UpdateInode_records_metadata_without_a_new_version()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        var file = folder.CommitLocal([File("a", 1).Local(inode: 1)])[0];

        folder.UpdateInode("a", 0x8000_0000_0000_0000);
        folder.UpdateInode("not-indexed", 5);

        Assert.Equal(0x8000_0000_0000_0000UL, folder.GetInode("a"));
        Assert.Equal(0UL, folder.GetInode("not-indexed"));
        Assert.Null(folder.GetLocal("not-indexed"));
        Assert.Equal(1, folder.MaxSequence);
        AssertSameFile(file, folder.GetLocal("a"));
        Assert.Empty(folder.LocalSince(1));
        Assert.Equal([new BlockLocation("a", 0, BlockSize)], folder.FindBlock(Hash(1))); // the lookup is content, untouched
    }

    [Fact]
    public void Unknown_names_read_as_absent()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");

        Assert.Null(folder.GetLocal("nothing"));
        Assert.Equal(0UL, folder.GetInode("nothing"));
        Assert.Empty(folder.EnumerateLocal());
        Assert.Equal(0, folder.MaxSequence);
    }

    [Fact]
    public void Names_are_case_sensitive_and_compared_byte_wise()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");

        folder.CommitLocal(Locals(File("Readme", 1), File("README", 2), File("e\u0301", 3), File("\u00e9", 4)));

        Assert.Equal(4, folder.EnumerateLocal().Count());
        Assert.Equal(Hash(2), folder.GetLocal("README")!.Blocks[0].Hash);
        Assert.Equal(Hash(4), folder.GetLocal("\u00e9")!.Blocks[0].Hash);
    }

    [Fact]
    public void A_damaged_stored_vector_is_reported_as_corrupt_data()
    {
        using var temp = new TempIndex();
        temp.Db.Folder("f").CommitLocal(Locals(File("a", 1)));
        temp.Exec("UPDATE local_files SET version = x'0102030405'");

        var ex = Assert.Throws<IndexException>(() => temp.Db.Folder("f").GetLocal("a"));

        Assert.Equal(IndexError.CorruptData, ex.Error);
        Assert.Contains("'a'", ex.Message);
        Assert.Contains(temp.Path, ex.Message);
    }

    [Fact]
    public void Commit_rejects_a_change_without_a_name()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");

        Assert.Throws<ArgumentException>(() => folder.CommitLocal([File("", 1).Local()]));
        Assert.Equal(0, folder.MaxSequence);
    }

    [Fact]
    public void An_entry_without_blocks_or_version_round_trips_empty()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        var bare = new FileInfo { Name = "empty", Blocks = ImmutableArray<BlockInfo>.Empty };

        folder.CommitLocal([bare.Local()]);

        AssertSameFile(bare with { Sequence = 1 }, folder.GetLocal("empty"));
        Assert.True(folder.GetLocal("empty")!.Version.IsEmpty);
    }
}
