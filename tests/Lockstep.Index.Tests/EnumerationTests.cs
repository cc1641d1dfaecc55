using Lockstep.Index.Tests.Support;
using static Lockstep.Index.Tests.Support.TestFiles;

namespace Lockstep.Index.Tests;

public sealed class EnumerationTests
{
    private static readonly string[] Names = ["a", "a/x", "a/y/z", "ab", "a.txt", "a-b", "a0", "b", "A", "a%", "a_"];

    private static FolderIndex Populated(TempIndex temp)
    {
        var folder = temp.Db.Folder("f");
        folder.CommitLocal(Names.Select((n, i) => File(n, i).Local()).ToList());
        return folder;
    }

    [Theory]
    [InlineData("a")]
    [InlineData("a/")]
    public void A_prefix_yields_that_entry_and_everything_below_it(string prefix)
    {
        using var temp = new TempIndex();
        var folder = Populated(temp);

        Assert.Equal(["a", "a/x", "a/y/z"], folder.EnumerateLocal(prefix).Select(f => f.Name));
    }

    [Fact]
    public void A_nested_prefix_and_a_prefix_with_no_entry_of_its_own_work_too()
    {
        using var temp = new TempIndex();
        var folder = Populated(temp);
        folder.CommitLocal(Locals(File("p/q/r", 1), File("p/qr", 2)));

        Assert.Equal(["a/y/z"], folder.EnumerateLocal("a/y").Select(f => f.Name));
        Assert.Equal(["p/q/r"], folder.EnumerateLocal("p/q").Select(f => f.Name));
        Assert.Empty(folder.EnumerateLocal("zzz"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    public void No_prefix_yields_the_whole_folder_in_name_order(string? prefix)
    {
        using var temp = new TempIndex();
        var folder = Populated(temp);

        Assert.Equal(Names.Order(IndexNameComparer.Instance), folder.EnumerateLocal(prefix).Select(f => f.Name));
    }

    [Fact]
    public void Enumerations_order_names_by_code_point_as_IndexNameComparer_does()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        // U+FF21 (fullwidth A) sorts before an emoji in UTF-16 but after it in code points; the rest are plain.
        string[] names = ["\uFF21", "\U0001F600", "z", "Z", "é", "e\u0301", "a b", "a/b"];
        folder.CommitLocal(names.Select((n, i) => File(n, i).Local()).ToList());
        var expected = names.Order(IndexNameComparer.Instance).ToList();

        Assert.Equal(expected, folder.EnumerateLocal().Select(f => f.Name));
        Assert.Equal(expected, folder.EnumerateLocalMeta().Select(m => m.Name));
        // The data does exercise the difference: plain ordinal order would be wrong here.
        Assert.NotEqual(names.Order(StringComparer.Ordinal), expected);
        Assert.Equal("\U0001F600", expected[^1]);
    }

    [Fact]
    public void LocalSince_yields_entries_after_a_sequence_in_sequence_order()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        folder.CommitLocal(Locals(File("c", 1), File("a", 2), File("b", 3)));
        folder.CommitLocal(Locals(File("c", 4)));

        Assert.Equal([(2L, "a"), (3L, "b"), (4L, "c")], folder.LocalSince(1).Select(f => (f.Sequence, f.Name)));
        Assert.Equal(["a", "b", "c"], folder.LocalSince(0).Select(f => f.Name));
        Assert.Equal(["c"], folder.LocalSince(3).Select(f => f.Name));
        Assert.Empty(folder.LocalSince(4));
        Assert.Equal(Hash(4), folder.LocalSince(3).Single().Blocks[0].Hash);
    }

    [Fact]
    public void Enumerations_see_only_their_folder()
    {
        using var temp = new TempIndex();
        temp.Db.Folder("one").CommitLocal(Locals(File("a", 1)));
        temp.Db.Folder("two").CommitLocal(Locals(File("b", 1)));
        var two = temp.Db.Folder("two");

        Assert.Equal(["b"], two.EnumerateLocal().Select(f => f.Name));
        Assert.Equal(["b"], two.EnumerateLocalMeta().Select(f => f.Name));
        Assert.Equal(["b"], two.LocalSince(0).Select(f => f.Name));
    }

    [Fact]
    public void A_running_enumeration_keeps_its_snapshot_while_commits_go_on()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        folder.CommitLocal(Enumerable.Range(0, 100).Select(i => File($"f{i:D3}", i).Local()).ToList());

        var seen = new List<string>();
        foreach (var meta in folder.EnumerateLocalMeta())
        {
            seen.Add(meta.Name);
            if (seen.Count == 10)
                folder.CommitLocal(Locals(File("f999", 1), File("a-first", 2))); // must neither block nor show up
        }

        Assert.Equal(100, seen.Count);
        Assert.DoesNotContain("f999", seen);
        Assert.Equal(102, folder.EnumerateLocalMeta().Count());
    }

    [Fact]
    public void Headers_are_the_whole_entries_without_their_blocks_permissions_or_link_targets_for_ours_and_a_peers()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        var peer = Device(7);
        FileInfo[] files =
        [
            File("b/file", 1, 2) with { ModifiedS = 1_700_000_123, ModifiedNs = 456_789, Permissions = 0x1ED },
            Dir("b"),
            Symlink("link", "b/file"),
            Tombstone(File("gone", 3)),
            File("skipped", 4) with { Invalid = true },
        ];
        folder.CommitLocal(Locals(files));
        folder.ReplaceRemote(peer, files.Select((f, i) => f with { Sequence = i + 1 }).ToList());

        foreach (var (whole, headers) in new[]
        {
            (folder.EnumerateLocal().ToList(), folder.EnumerateLocalHeaders().ToList()),
            (folder.EnumerateRemote(peer).ToList(), folder.EnumerateRemoteHeaders(peer).ToList()),
        })
        {
            Assert.Equal(whole.Select(f => f.Name), headers.Select(f => f.Name)); // same rows, same order
            foreach (var (w, h) in whole.Zip(headers))
            {
                Assert.Equal(w with { Blocks = [], Permissions = 0, NoPermissions = false, SymlinkTarget = "", Sequence = 0, ModifiedBy = default, BlockSize = 0 }, h);
                Assert.Empty(h.Blocks);
            }
            Assert.Contains(whole, f => f.Blocks.Length == 2); // the whole entries did have what the headers leave out
        }
    }
}
