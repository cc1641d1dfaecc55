using System.Collections.Immutable;
using Lockstep.Index;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using Lockstep.Sync.Global;

namespace Lockstep.Sync.Tests.Global;

/// <summary>Syncthing's global-version and need rules (bep-v1.md §5.5), case by case.</summary>
public sealed class GlobalRulesTests
{
    private static readonly ShortId A = new(0x0AUL), B = new(0x0BUL), C = new(0x0CUL);

    private static VersionVector V(params (ShortId Id, ulong Value)[] counters) =>
        VersionVector.From(counters.Select(c => new Counter(c.Id, c.Value)));

    private static FileInfo F(VersionVector v, long mtime = 100, bool deleted = false, bool invalid = false, string name = "x") => new()
    {
        Name = name, Size = deleted ? 0 : 1, ModifiedS = mtime, Deleted = deleted, Invalid = invalid, Version = v, Permissions = 0x1A4,
        BlockSize = 131072, Blocks = deleted ? ImmutableArray<BlockInfo>.Empty : [new BlockInfo(0, 1, new byte[32])],
    };

    [Fact]
    public void A_strictly_newer_vector_beats_an_older_one_whatever_the_times()
    {
        var older = F(V((A, 1)), mtime: 999);
        var newer = F(V((A, 1), (B, 1)), mtime: 1);
        Assert.True(GlobalRules.Beats(newer, older));
        Assert.False(GlobalRules.Beats(older, newer));
        Assert.False(GlobalRules.Beats(older, F(V((A, 1))))); // equal: neither beats
    }

    [Fact]
    public void Concurrent_versions_are_decided_by_validity_then_delete_then_mtime_then_the_vector_tie_break()
    {
        var onA = V((A, 2), (B, 1));
        var onB = V((A, 1), (B, 2));
        // validity first, even against a newer mtime
        Assert.True(GlobalRules.Beats(F(onA, mtime: 1), F(onB, mtime: 9, invalid: true)));
        // a modification beats a concurrent delete, even an older one
        Assert.True(GlobalRules.Beats(F(onA, mtime: 1), F(onB, mtime: 9, deleted: true)));
        Assert.False(GlobalRules.Beats(F(onB, mtime: 9, deleted: true), F(onA, mtime: 1)));
        // the newer modification time
        Assert.True(GlobalRules.Beats(F(onB, mtime: 200), F(onA, mtime: 100)));
        Assert.False(GlobalRules.Beats(F(onA, mtime: 100), F(onB, mtime: 200)));
        // same time: the vector tie-break; with a common base the lower short ID (A) wins
        Assert.Equal(Ordering.ConcurrentGreater, onA.Compare(onB));
        Assert.True(GlobalRules.Beats(F(onA), F(onB)));
        Assert.False(GlobalRules.Beats(F(onB), F(onA)));
    }

    [Fact]
    public void Need_follows_the_rules_for_missing_deleted_invalid_and_newer_local_copies()
    {
        var g = F(V((A, 2)));
        Assert.True(GlobalRules.Needs(null, g));
        Assert.True(GlobalRules.Needs(F(V((A, 1))), g));
        Assert.False(GlobalRules.Needs(F(V((A, 2))), g));                   // equal
        Assert.False(GlobalRules.Needs(F(V((A, 3))), g));                   // ours is newer
        Assert.True(GlobalRules.Needs(F(V((B, 5))), g));                    // concurrent: the global won, we take it
        Assert.False(GlobalRules.Needs(null, F(V((A, 2)), deleted: true))); // a delete of what we never had
        Assert.True(GlobalRules.Needs(F(V((A, 1))), F(V((A, 2)), deleted: true)));
        Assert.False(GlobalRules.Needs(null, F(V((A, 2)), invalid: true)));
        Assert.False(GlobalRules.Needs(null, F(VersionVector.Empty)));      // receive-only changes: never pulled
    }

    [Fact]
    public void A_conflict_copy_is_due_for_concurrent_files_or_a_global_that_claims_more_of_our_edits()
    {
        Assert.True(GlobalRules.InConflict(F(V((A, 2), (B, 1))), F(V((A, 1), (B, 2))), A));
        Assert.False(GlobalRules.InConflict(F(V((A, 1))), F(V((A, 1), (B, 1))), A));   // a plain update
        Assert.True(GlobalRules.InConflict(F(V((A, 1))), F(V((A, 5))), A));             // claims an edit of ours we do not have
        Assert.False(GlobalRules.InConflict(F(V((A, 2)), deleted: true), F(V((B, 1))), A)); // nothing to keep
        var dir = F(V((A, 2), (B, 1))) with { Type = FileInfoType.Directory, Blocks = [] };
        Assert.False(GlobalRules.InConflict(dir, F(V((A, 1), (B, 2))), A));
    }

    [Theory]
    [InlineData("c.txt", "c.sync-conflict-20261121-113629-AAAAAAA.txt")]
    [InlineData("a.tar.gz", "a.tar.sync-conflict-20261121-113629-AAAAAAA.gz")]
    [InlineData(".bashrc", ".sync-conflict-20261121-113629-AAAAAAA.bashrc")]
    [InlineData("README", "README.sync-conflict-20261121-113629-AAAAAAA")]
    [InlineData("dir.d/README", "dir.d/README.sync-conflict-20261121-113629-AAAAAAA")]
    public void Conflict_copies_are_named_as_Syncthing_names_them(string name, string expected)
    {
        var copy = ConflictNames.For(name, new DateTime(2026, 11, 21, 11, 36, 29), new ShortId(0));
        Assert.Equal(expected, copy);
        Assert.True(ConflictNames.IsConflictCopy(copy));
        Assert.False(ConflictNames.IsConflictCopy(name));
    }

    [Fact]
    public void The_global_view_merges_our_index_with_every_peers_announcements()
    {
        using var f = new SyncFixture();
        var peer1 = new DeviceId(Enumerable.Repeat((byte)1, 32).ToArray());
        var peer2 = new DeviceId(Enumerable.Repeat((byte)2, 32).ToArray());
        f.Index.CommitLocal([
            new LocalFile(F(V((A, 1)), name: "both-same"), 0),
            new LocalFile(F(V((A, 1)), name: "ours-older"), 0),
            new LocalFile(F(V((A, 5)), name: "ours-only"), 0),
        ]);
        f.Index.ReplaceRemote(peer1, [
            F(V((A, 1)), name: "both-same") with { Sequence = 1 },
            F(V((A, 1), (B, 1)), name: "ours-older") with { Sequence = 2 },
            F(V((B, 1)), name: "peer-only") with { Sequence = 3 },
            F(V((B, 1)), name: "peer-deleted", deleted: true) with { Sequence = 4 },
        ]);
        f.Index.ReplaceRemote(peer2, [
            F(V((A, 1), (B, 1)), name: "ours-older") with { Sequence = 1 },
            F(V((C, 9)), name: "peer-only", invalid: true) with { Sequence = 2 },
        ]);

        var view = GlobalView.Enumerate(f.Index, [peer1, peer2]).ToDictionary(e => e.Name);

        Assert.Equal(["both-same", "ours-older", "ours-only", "peer-deleted", "peer-only"], view.Keys.Order(StringComparer.Ordinal));
        Assert.False(view["both-same"].LocalNeeds);
        Assert.True(view["both-same"].LocalIsGlobal);
        Assert.Equal([peer1], view["both-same"].Availability);
        Assert.True(view["ours-older"].LocalNeeds);
        Assert.Equal([peer1, peer2], view["ours-older"].Availability);
        Assert.False(view["ours-only"].LocalNeeds);
        Assert.Empty(view["ours-only"].Availability);
        Assert.False(view["peer-deleted"].LocalNeeds);         // never had it: nothing to delete
        Assert.True(view["peer-only"].LocalNeeds);             // the valid one wins over a concurrent invalid one
        Assert.Equal([peer1], view["peer-only"].Availability); // the invalid announcement cannot serve
    }
}
