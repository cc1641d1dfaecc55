using System.Security.Cryptography;
using Lockstep.Protocol.Messages;
using Lockstep.Testing;

namespace Lockstep.Sync.Tests;

public sealed class LocalScanTests : IDisposable
{
    private readonly SyncFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task New_items_get_this_devices_counter_and_increasing_sequences()
    {
        _f.Folder.Write("a.txt", "alpha");
        _f.Folder.Write("d/b.txt", "beta");
        var summary = await _f.ScanAsync();
        Assert.Equal(3, summary.Changed);
        var all = _f.Index.EnumerateLocal().ToList();
        Assert.Equal(["a.txt", "d", "d/b.txt"], all.Select(x => x.Name));
        Assert.All(all, x =>
        {
            Assert.Equal((ulong)SyncFixture.T0, x.Version[SyncFixture.Me]);
            Assert.Single(x.Version.Counters);
            Assert.Equal(SyncFixture.Me, x.ModifiedBy);
        });
        Assert.Equal([1L, 2L, 3L], all.Select(x => x.Sequence).Order());
        Assert.Equal(3, _f.Index.MaxSequence);
        var a = all[0];
        Assert.Equal(5, a.Size);
        Assert.Equal(SHA256.HashData("alpha"u8), Assert.Single(a.Blocks).Hash);
        Assert.Equal(FileInfoType.Directory, all[1].Type);
        Assert.Empty(all[1].Blocks);
    }

    [Fact]
    public async Task A_modification_bumps_the_counter_to_max_of_old_plus_one_and_now()
    {
        var path = _f.Folder.Write("a.txt", "v1");
        await _f.ScanAsync();
        File.WriteAllText(path, "v2 longer");
        await _f.ScanAsync(); // same clock second: old + 1 wins
        var v2 = _f.Index.GetLocal("a.txt")!;
        Assert.Equal((ulong)SyncFixture.T0 + 1, v2.Version[SyncFixture.Me]);
        Assert.Equal(9, v2.Size);
        _f.Clock.Advance(TimeSpan.FromHours(1));
        File.WriteAllText(path, "v3");
        await _f.ScanAsync(); // clock ahead: now wins
        var v3 = _f.Index.GetLocal("a.txt")!;
        Assert.Equal((ulong)SyncFixture.T0 + 3600, v3.Version[SyncFixture.Me]);
        Assert.True(v3.Sequence > v2.Sequence);
    }

    [Fact]
    public async Task An_unchanged_rescan_records_nothing()
    {
        _f.Folder.Write("a.txt", "alpha");
        Directory.CreateDirectory(_f.Folder.Combine("empty-dir"));
        await _f.ScanAsync();
        var seq = _f.Index.MaxSequence;
        var summary = await _f.ScanAsync();
        Assert.Equal((0, 0), (summary.Changed, summary.Deleted));
        Assert.Equal(seq, _f.Index.MaxSequence);
    }

    [Fact]
    public async Task A_deletion_becomes_a_tombstone_with_a_bumped_version()
    {
        var path = _f.Folder.Write("gone.txt", "bye");
        _f.Folder.Write("dir/inner.txt", "x");
        await _f.ScanAsync();
        var before = _f.Index.GetLocal("gone.txt")!;
        File.Delete(path);
        Directory.Delete(_f.Folder.Combine("dir"), recursive: true);
        _f.Clock.Advance(TimeSpan.FromSeconds(10));
        var summary = await _f.ScanAsync();
        Assert.Equal(3, summary.Deleted);
        var tomb = _f.Index.GetLocal("gone.txt")!;
        Assert.True(tomb.Deleted);
        Assert.Empty(tomb.Blocks);
        Assert.Equal(0, tomb.Size);
        Assert.Equal(Ordering.Greater, tomb.Version.Compare(before.Version));
        Assert.True(tomb.Sequence > before.Sequence);
        Assert.True(_f.Index.GetLocal("dir")!.Deleted);
        Assert.True(_f.Index.GetLocal("dir/inner.txt")!.Deleted);
        Assert.Empty(_f.Index.FindBlock(before.Blocks[0].Hash));
    }

    [Fact]
    public async Task A_rename_is_a_tombstone_plus_a_new_file_whose_blocks_are_found_by_hash()
    {
        _f.Folder.Write("old.txt", "same bytes");
        await _f.ScanAsync();
        File.Move(_f.Folder.Combine("old.txt"), _f.Folder.Combine("new.txt"));
        await _f.ScanAsync();
        Assert.True(_f.Index.GetLocal("old.txt")!.Deleted);
        var moved = _f.Index.GetLocal("new.txt")!;
        Assert.False(moved.Deleted);
        var location = Assert.Single(_f.Index.FindBlock(SHA256.HashData("same bytes"u8)));
        Assert.Equal("new.txt", location.Name);
    }

    [Fact]
    public async Task A_chmod_is_a_new_version_with_the_same_blocks_unless_permissions_are_ignored()
    {
        var path = _f.Folder.Write("run.sh", "#!/bin/sh\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        await _f.ScanAsync();
        var v1 = _f.Index.GetLocal("run.sh")!;
        Assert.Equal(0b110_100_100u, v1.Permissions);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        var ignored = await _f.ScanAsync(tweak: s => s with { IgnorePermissions = true });
        Assert.Equal(0, ignored.Changed);
        await _f.ScanAsync();
        var v2 = _f.Index.GetLocal("run.sh")!;
        Assert.Equal(0b111_101_101u, v2.Permissions);
        Assert.Equal(v1.Blocks.AsEnumerable(), v2.Blocks.AsEnumerable());
        Assert.Equal(Ordering.Greater, v2.Version.Compare(v1.Version));
    }

    [Fact]
    public async Task Symlinks_are_recorded_with_their_target_and_no_permissions()
    {
        File.CreateSymbolicLink(_f.Folder.Combine("link"), "target/elsewhere");
        await _f.ScanAsync();
        var link = _f.Index.GetLocal("link")!;
        Assert.Equal(FileInfoType.Symlink, link.Type);
        Assert.Equal("target/elsewhere", link.SymlinkTarget);
        Assert.True(link.NoPermissions);
        Assert.Empty(link.Blocks);
    }

    [Fact]
    public async Task An_item_that_becomes_ignored_is_announced_invalid_not_deleted()
    {
        _f.Folder.Write("keep.txt", "k");
        _f.Folder.Write("noise.log", "n");
        await _f.ScanAsync();
        _f.Folder.Write(".stignore", "*.log\n");
        var summary = await _f.ScanAsync();
        Assert.Equal(0, summary.Deleted);
        var noise = _f.Index.GetLocal("noise.log")!;
        Assert.True(noise.Invalid);
        Assert.False(noise.Deleted);
        Assert.False(_f.Index.GetLocal("keep.txt")!.Invalid);
    }

    [Fact]
    public async Task Observe_folders_announce_everything_invalid_and_stay_stable()
    {
        _f.Folder.Write("a.txt", "a");
        await _f.ScanAsync(tweak: s => s with { AnnounceInvalid = true });
        Assert.True(_f.Index.GetLocal("a.txt")!.Invalid);
        var seq = _f.Index.MaxSequence;
        var again = await _f.ScanAsync(tweak: s => s with { AnnounceInvalid = true });
        Assert.Equal(0, again.Changed);
        Assert.Equal(seq, _f.Index.MaxSequence);
    }

    [Fact]
    public async Task The_index_survives_a_restart()
    {
        _f.Folder.Write("a.txt", "alpha");
        _f.Folder.Write("b/c.bin", new byte[200_000]);
        await _f.ScanAsync();
        var before = _f.Index.EnumerateLocal().ToList();
        var indexId = _f.Index.IndexId;
        _f.Reopen();
        Assert.Equal(indexId, _f.Index.IndexId);
        Assert.Equal(before, _f.Index.EnumerateLocal().ToList());
        var summary = await _f.ScanAsync();
        Assert.Equal(0, summary.Changed);
        Assert.Equal(before.Max(x => x.Sequence), _f.Index.MaxSequence);
    }

    [Fact]
    public async Task A_scan_of_one_deleted_path_records_only_that_deletion()
    {
        _f.Folder.Write("a.txt", "a");
        _f.Folder.Write("b.txt", "b");
        await _f.ScanAsync();
        File.Delete(_f.Folder.Combine("a.txt"));
        File.Delete(_f.Folder.Combine("b.txt"));
        var summary = await _f.ScanAsync(["a.txt"]);
        Assert.Equal(1, summary.Deleted);
        Assert.True(_f.Index.GetLocal("a.txt")!.Deleted);
        Assert.False(_f.Index.GetLocal("b.txt")!.Deleted);
    }

    [Fact]
    public async Task A_path_scan_records_a_new_directory_once_however_many_of_its_files_it_names()
    {
        var names = Enumerable.Range(0, 5).Select(i => $"new/sub/f{i}.txt").ToList();
        foreach (var name in names)
            _f.Folder.Write(name, name);
        var summary = await _f.ScanAsync(names);
        Assert.Equal(5 + 2, summary.Changed); // five files and their two directories, each once
        Assert.Equal(FileInfoType.Directory, _f.Index.GetLocal("new")!.Type);
        Assert.Equal(FileInfoType.Directory, _f.Index.GetLocal("new/sub")!.Type);
        Assert.Equal(7, _f.Index.MaxSequence);
    }

    [Fact]
    public async Task A_path_scan_below_an_ignored_directory_records_nothing_there()
    {
        _f.Folder.Write(".stignore", "skip\n");
        var names = new[] { "skip/a.txt", "skip/b.txt", "keep/c.txt" };
        foreach (var name in names)
            _f.Folder.Write(name, name);
        await _f.ScanAsync(names);
        Assert.Null(_f.Index.GetLocal("skip"));
        Assert.Null(_f.Index.GetLocal("skip/a.txt"));
        Assert.Null(_f.Index.GetLocal("skip/b.txt"));
        Assert.NotNull(_f.Index.GetLocal("keep/c.txt"));
    }

    [Fact]
    public async Task A_path_scan_sees_an_unchanged_file_as_unchanged_and_a_touched_one_as_changed()
    {
        _f.Folder.Write("d/same.txt", "same");
        var touched = _f.Folder.Write("d/touched.txt", "old");
        await _f.ScanAsync();
        long sequence = _f.Index.MaxSequence;
        File.WriteAllText(touched, "newer bytes");
        var summary = await _f.ScanAsync(["d/same.txt", "d/touched.txt"]);
        Assert.Equal(1, summary.Changed);
        Assert.Equal(sequence + 1, _f.Index.MaxSequence);
        Assert.Equal(11, _f.Index.GetLocal("d/touched.txt")!.Size);
    }

    [Fact]
    public async Task A_forced_rescan_rehashes_a_file_whose_bytes_changed_behind_unchanged_metadata()
    {
        var path = _f.Folder.Write("same.txt", "aaaa");
        await _f.ScanAsync();
        var before = _f.Index.GetLocal("same.txt")!;
        var mtime = File.GetLastWriteTimeUtc(path);
        File.WriteAllText(path, "bbbb");
        File.SetLastWriteTimeUtc(path, mtime); // same size, same mtime (to the 100 ns DateTime keeps)
        Lockstep.FileSystem.Native.NativeFile.SetModified(path, before.ModifiedS, before.ModifiedNs); // and to the nanosecond
        _f.Index.UpdateInode("same.txt", 0); // inode unknown: only metadata would speak, and it says "unchanged"

        await _f.ScanAsync(["same.txt"]);
        Assert.Equal(before.Version, _f.Index.GetLocal("same.txt")!.Version); // a plain scan trusts the metadata

        var scan = new Lockstep.Sync.Folders.LocalScan(_f.Settings(), _f.Index, _f.Clock);
        await scan.RunAsync(["same.txt"], forceRehash: true);
        var after = _f.Index.GetLocal("same.txt")!;
        Assert.NotEqual(before.Version, after.Version);
        Assert.Equal(SHA256.HashData("bbbb"u8), Assert.Single(after.Blocks).Hash);
    }
}
