using System.Collections.Immutable;
using Lockstep.FileSystem.Ignore;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using Lockstep.Sync.Global;
using Lockstep.Sync.Pulling;

namespace Lockstep.Sync.Tests.Pulling;

/// <summary>What a pull pass does and in which order, from the global view alone.</summary>
public sealed class PullPlanTests
{
    private static readonly ShortId Peer = new(0x0BUL);
    private static readonly VersionVector V1 = VersionVector.From([new Counter(Peer, 1)]);
    private static readonly VersionVector V2 = VersionVector.From([new Counter(Peer, 2)]);

    private static FileInfo File(string name, int size = 10, byte seed = 1, long mtime = 100, VersionVector? v = null) => new()
    {
        Name = name, Size = size, ModifiedS = mtime, Version = v ?? V1, Permissions = 0x1A4, BlockSize = 131072,
        Blocks = [new BlockInfo(0, size, Enumerable.Repeat(seed, 32).ToArray())],
    };

    private static FileInfo Dir(string name, VersionVector? v = null) => new() { Name = name, Type = FileInfoType.Directory, Version = v ?? V1, Permissions = 0x1ED };

    private static FileInfo Tombstone(FileInfo f) => f with { Deleted = true, Size = 0, Blocks = ImmutableArray<BlockInfo>.Empty, Version = V2 };

    /// <summary>An entry this device needs (local is what it holds).</summary>
    private static GlobalEntry Need(FileInfo global, FileInfo? local = null) => new(global.Name, global, local, [], true);

    private static GlobalEntry Have(FileInfo local) => new(local.Name, local, local, [], false);

    [Fact]
    public void Directories_come_parents_first_deletions_last_and_directory_deletions_children_first()
    {
        var plan = PullPlan.Build([
            Need(Dir("a/b")), Need(Dir("a")), Need(File("a/b/f")),
            Need(Tombstone(Dir("x")), Dir("x")), Need(Tombstone(Dir("x/y")), Dir("x/y")), Need(Tombstone(File("x/y/old")), File("x/y/old")),
        ], IgnoreMatcher.Empty, PullOrder.Alphabetic);
        Assert.Equal(["a", "a/b"], plan.Directories.Select(e => e.Name));
        Assert.Equal(["a/b/f"], plan.Files.Select(e => e.Name));
        Assert.Equal(["x/y/old"], plan.FileDeletes.Select(e => e.Name));
        Assert.Equal(["x/y", "x"], plan.DirectoryDeletes.Select(e => e.Name));
        Assert.Equal(10, plan.Bytes);
    }

    [Fact]
    public void Ignored_internal_and_temporary_names_and_what_is_not_needed_are_never_pulled()
    {
        var ignores = IgnoreMatcher.Parse("secret*\n", "/nonexistent");
        var plan = PullPlan.Build([
            Need(File("secret.txt")), Need(File(".stversions/x")), Need(File(".syncthing.a.tmp")), Have(File("mine")), Need(File("wanted")),
        ], ignores, PullOrder.Random);
        Assert.Equal(["wanted"], plan.Files.Select(e => e.Name));
    }

    [Theory]
    [InlineData(PullOrder.SmallestFirst, "s,m,l")]
    [InlineData(PullOrder.LargestFirst, "l,m,s")]
    [InlineData(PullOrder.OldestFirst, "m,l,s")]
    [InlineData(PullOrder.NewestFirst, "s,l,m")]
    [InlineData(PullOrder.Alphabetic, "l,m,s")]
    public void Files_follow_the_folders_pull_order(PullOrder order, string expected)
    {
        var plan = PullPlan.Build([Need(File("s", 1, mtime: 300)), Need(File("m", 5, mtime: 100)), Need(File("l", 9, mtime: 200))],
            IgnoreMatcher.Empty, order);
        Assert.Equal(expected, string.Join(',', plan.Files.Select(e => e.Name)));
    }

    [Fact]
    public void Deleting_more_than_the_limit_of_the_local_files_is_refused_with_the_way_out()
    {
        var held = Enumerable.Range(0, 10).Select(i => File($"f{i}", seed: (byte)i)).ToList();
        var entries = held.Take(6).Select(f => Need(Tombstone(f), f)).Concat(held.Skip(6).Select(Have)).ToList();
        var plan = PullPlan.Build(entries, IgnoreMatcher.Empty, PullOrder.Alphabetic);
        Assert.Equal(10, plan.LocalFiles);
        var reason = plan.ExceedsDeleteLimit(50);
        Assert.NotNull(reason);
        Assert.Contains("6 of this folder's 10 files", reason);
        Assert.Contains("--allow-deletes", reason);
        Assert.Null(plan.ExceedsDeleteLimit(60));
        Assert.Null(plan.ExceedsDeleteLimit(100));
    }

    [Fact]
    public void A_rename_is_not_a_delete_for_the_limit()
    {
        var old = File("big.bin", seed: 7);
        var plan = PullPlan.Build([Need(Tombstone(old), old), Need(File("moved.bin", seed: 7) with { Version = V2 })],
            IgnoreMatcher.Empty, PullOrder.Alphabetic);
        Assert.Equal(0, plan.DeletesOfLocalFiles);
        Assert.Null(plan.ExceedsDeleteLimit(50));
        // The same delete with different content elsewhere is a real one.
        var other = PullPlan.Build([Need(Tombstone(old), old), Need(File("moved.bin", seed: 8) with { Version = V2 })],
            IgnoreMatcher.Empty, PullOrder.Alphabetic);
        Assert.NotNull(other.ExceedsDeleteLimit(50));
    }
}
