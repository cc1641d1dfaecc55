using System.Security.Cryptography;
using System.Text;
using Lockstep.FileSystem.Scanning;
using Lockstep.Protocol.Messages;
using Lockstep.Testing;

namespace Lockstep.FileSystem.Tests.Scanning;

public sealed class FolderScannerTests : IDisposable
{
    private readonly TempDirectory _dir = new("scan");
    private readonly FakeCurrentFiler _index = new();

    public FolderScannerTests() => Directory.CreateDirectory(_dir.Combine(".stfolder"));

    public void Dispose() => _dir.Dispose();

    private static byte[] Bytes(int n, int seed = 1)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    [Fact]
    public async Task Reports_new_files_with_syncthings_blocks_at_the_boundaries()
    {
        _dir.Write("empty", []);
        var exact = Bytes(128 * 1024);
        var plusOne = Bytes(128 * 1024 + 1, 2);
        _dir.Write("exact", exact);
        _dir.Write("plus-one", plusOne);
        var (items, result) = await ScannerHarness.ScanAsync(_dir.Path, _index);
        Assert.Empty(result.Problems);
        var byName = items.ToDictionary(i => i.Name);

        var empty = byName["empty"];
        Assert.Equal(0, empty.Size);
        var emptyBlock = Assert.Single(empty.Blocks);
        Assert.Equal((0L, 0), (emptyBlock.Offset, emptyBlock.Size));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(emptyBlock.Hash));

        var one = Assert.Single(byName["exact"].Blocks);
        Assert.Equal(131072, one.Size);
        Assert.Equal(SHA256.HashData(exact), one.Hash);

        var two = byName["plus-one"].Blocks;
        Assert.Equal(2, two.Length);
        Assert.Equal((0L, 131072), (two[0].Offset, two[0].Size));
        Assert.Equal((131072L, 1), (two[1].Offset, two[1].Size));
        Assert.Equal(SHA256.HashData(plusOne.AsSpan(0, 131072)), two[0].Hash);
        Assert.Equal(SHA256.HashData(plusOne.AsSpan(131072)), two[1].Hash);
        Assert.All(items, i => Assert.Equal(128 * 1024, i.BlockSize));
    }

    [Fact]
    public async Task A_multi_block_file_hashed_in_parallel_matches_a_sequential_hash()
    {
        var data = Bytes(5 * 128 * 1024 * 17 + 123, 3); // many chunks, a short last block
        _dir.Write("big.bin", data);
        var (parallel, _) = await ScannerHarness.ScanAsync(_dir.Path, new FakeCurrentFiler(), options: new ScanOptions { HashParallelism = 4 });
        var (sequential, _) = await ScannerHarness.ScanAsync(_dir.Path, new FakeCurrentFiler(), options: new ScanOptions { HashParallelism = 1 });
        var blocks = Assert.Single(parallel).Blocks;
        Assert.Equal(Assert.Single(sequential).Blocks.Select(b => (b.Offset, b.Size, Convert.ToHexString(b.Hash))),
            blocks.Select(b => (b.Offset, b.Size, Convert.ToHexString(b.Hash))));
        for (int i = 0; i < blocks.Length; i++)
            Assert.Equal(SHA256.HashData(data.AsSpan((int)blocks[i].Offset, blocks[i].Size)), blocks[i].Hash);
    }

    [Fact]
    public async Task Records_directories_and_symlinks_without_following_them()
    {
        _dir.Write("dir/inside.txt", "x");
        Directory.CreateDirectory(_dir.Combine("elsewhere"));
        _dir.Write("elsewhere/secret.txt", "not via the link");
        File.CreateSymbolicLink(_dir.Combine("link-to-dir"), _dir.Combine("elsewhere"));
        File.CreateSymbolicLink(_dir.Combine("dangling"), "/nonexistent/target");
        var (items, result) = await ScannerHarness.ScanAsync(_dir.Path, _index);
        Assert.Empty(result.Problems);
        var byName = items.ToDictionary(i => i.Name);
        Assert.Equal(FileInfoType.Directory, byName["dir"].Type);
        Assert.Equal(FileInfoType.Symlink, byName["link-to-dir"].Type);
        Assert.Equal(_dir.Combine("elsewhere"), byName["link-to-dir"].SymlinkTarget);
        Assert.Equal("/nonexistent/target", byName["dangling"].SymlinkTarget);
        Assert.DoesNotContain("link-to-dir/secret.txt", byName.Keys);
        Assert.Contains("elsewhere/secret.txt", byName.Keys);
    }

    [Fact]
    public async Task Skips_internal_and_temporary_names()
    {
        _dir.Write(".stignore", "");
        _dir.Write(".stversions/old.txt", "v");
        _dir.Write(".syncthing.half.txt.tmp", "partial");
        _dir.Write("sub/~syncthing~other.tmp", "partial");
        _dir.Write("sub/real.txt", "real");
        var (items, _) = await ScannerHarness.ScanAsync(_dir.Path, _index);
        Assert.Equal(["sub", "sub/real.txt"], items.Select(i => i.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Honours_stignore()
    {
        _dir.Write(".stignore", "*.log\n/build\n");
        _dir.Write("a.log", "x");
        _dir.Write("deep/b.log", "x");
        _dir.Write("build/out.o", "x");
        _dir.Write("src/build/keep.txt", "x");
        var (items, result) = await ScannerHarness.ScanAsync(_dir.Path, _index);
        Assert.Equal(["deep", "src", "src/build", "src/build/keep.txt"], items.Select(i => i.Name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("a.log", result.Seen);
    }

    [Fact]
    public async Task Names_with_spaces_and_non_ascii_are_stored_nfc()
    {
        var nfd = "cafe\u0301 menu.txt"; // e + combining acute: NFD on disk
        _dir.Write(nfd, "x");
        _dir.Write("Ünïcödé dir/ファイル.txt", "y");
        var (items, result) = await ScannerHarness.ScanAsync(_dir.Path, _index);
        Assert.Empty(result.Problems);
        var names = items.Select(i => i.Name).ToHashSet();
        Assert.Contains("caf\u00e9 menu.txt", names);
        Assert.Contains("Ünïcödé dir/ファイル.txt".Normalize(NormalizationForm.FormC), names);
        Assert.All(names, n => Assert.True(n.IsNormalized(NormalizationForm.FormC)));
    }

    [Fact]
    public async Task A_name_that_is_not_utf8_is_reported_and_skipped()
    {
        var r = await ProcessRunner.RunAsync("/bin/sh", ["-c", "touch \"$1/$(printf 'bad\\377name')\"", "sh", _dir.Path]);
        Assert.Equal(0, r.ExitCode);
        _dir.Write("good.txt", "ok");
        var (items, result) = await ScannerHarness.ScanAsync(_dir.Path, _index);
        Assert.Equal(["good.txt"], items.Select(i => i.Name));
        var problem = Assert.Single(result.Problems);
        Assert.Equal(ScanProblemKind.InvalidName, problem.Kind);
        Assert.Contains("not valid UTF-8", problem.Message);
    }

    [Fact]
    public async Task Unchanged_files_are_not_rehashed_and_changed_ones_are()
    {
        _dir.Write("a.txt", "one");
        _dir.Write("b.txt", "two");
        var (first, _) = await ScannerHarness.ScanAsync(_dir.Path, _index);
        _index.Absorb(first);

        var (second, result) = await ScannerHarness.ScanAsync(_dir.Path, _index);
        Assert.Empty(second);
        Assert.Equal(0, result.Hashed);
        Assert.Contains("a.txt", result.Seen);

        File.WriteAllText(_dir.Combine("b.txt"), "two, longer");
        var (third, result3) = await ScannerHarness.ScanAsync(_dir.Path, _index);
        var changed = Assert.Single(third);
        Assert.Equal("b.txt", changed.Name);
        Assert.Equal(1, result3.Hashed);
        Assert.Equal(SHA256.HashData("two, longer"u8), Assert.Single(changed.Blocks).Hash);
    }

    [Fact]
    public async Task Same_size_and_mtime_but_a_new_inode_is_rehashed()
    {
        var path = _dir.Write("swap.txt", "AAAA");
        var (first, _) = await ScannerHarness.ScanAsync(_dir.Path, _index);
        _index.Absorb(first);
        var replacement = _dir.Write("tmp-replacement", "BBBB");
        File.Move(replacement, path, overwrite: true); // atomic replace: a new inode
        ScannerHarness.Settle(_dir.Path);
        Assert.True(Lockstep.FileSystem.Native.StatX.TryLstat(path, out var st, out _));
        // Make the index agree on size and mtime, so only the inode tells the files apart.
        _index.Files["swap.txt"] = _index.Files["swap.txt"] with { ModifiedS = st.ModifiedS, ModifiedNs = st.ModifiedNs };
        Assert.NotEqual(_index.Files["swap.txt"].Inode, st.Inode);
        var (second, _) = await ScannerHarness.ScanAsync(_dir.Path, _index);
        var item = Assert.Single(second, i => i.Name == "swap.txt");
        Assert.False(item.Blocks.IsDefault);
        Assert.Equal(SHA256.HashData("BBBB"u8), Assert.Single(item.Blocks).Hash);
    }

    [Fact]
    public async Task A_permission_change_alone_is_metadata_only_unless_ignored()
    {
        var path = _dir.Write("script.sh", "#!/bin/sh");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var (first, _) = await ScannerHarness.ScanAsync(_dir.Path, _index);
        _index.Absorb(first);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (second, result) = await ScannerHarness.ScanAsync(_dir.Path, _index);
        var item = Assert.Single(second);
        Assert.Equal(0b111_000_000u, item.Permissions);
        Assert.True(item.Blocks.IsDefault); // content as indexed: no rehash
        Assert.Equal(0, result.Hashed);

        var (ignored, _) = await ScannerHarness.ScanAsync(_dir.Path, _index, options: new ScanOptions { IgnorePermissions = true });
        Assert.Empty(ignored);
    }

    [Fact]
    public async Task A_file_rewritten_while_it_is_hashed_is_not_reported_and_is_marked_for_retry()
    {
        _dir.Write("moving.txt", "before");
        _dir.Write("steady.txt", "steady");
        var options = new ScanOptions
        {
            AfterHashing = (name, path) =>
            {
                if (name == "moving.txt")
                    File.WriteAllText(path, "after, and longer");
            },
        };
        var (items, result) = await ScannerHarness.ScanAsync(_dir.Path, _index, options: options);
        Assert.Equal(["steady.txt"], items.Select(i => i.Name));
        var problem = Assert.Single(result.Problems);
        Assert.Equal(ScanProblemKind.ChangedWhileHashing, problem.Kind);
        Assert.True(result.IsProtected("moving.txt"));
    }

    [Fact]
    public async Task A_file_that_vanishes_while_it_is_hashed_is_retried_not_reported()
    {
        _dir.Write("gone.txt", "soon gone");
        var options = new ScanOptions { AfterHashing = (_, path) => File.Delete(path) };
        var (items, result) = await ScannerHarness.ScanAsync(_dir.Path, _index, options: options);
        Assert.Empty(items);
        Assert.Equal(ScanProblemKind.ChangedWhileHashing, Assert.Single(result.Problems).Kind);
    }

    [Fact]
    public async Task A_scan_of_some_paths_includes_their_parents_and_nothing_else()
    {
        _dir.Write("a/b/c.txt", "c");
        _dir.Write("a/other.txt", "o");
        _dir.Write("z.txt", "z");
        var (items, result) = await ScannerHarness.ScanAsync(_dir.Path, _index, paths: ["a/b/c.txt"]);
        Assert.Equal(["a", "a/b", "a/b/c.txt"], items.Select(i => i.Name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("z.txt", result.Seen);
    }

    [Fact]
    public async Task A_scan_never_modifies_the_folder()
    {
        _dir.Write("x/1.txt", "1");
        _dir.Write("2.bin", Bytes(300_000));
        File.CreateSymbolicLink(_dir.Combine("l"), "x");
        ScannerHarness.Settle(_dir.Path); // the harness's own touch-up happens before the snapshot
        var before = TreeSnapshot.Take(_dir.Path);
        await ScannerHarness.ScanAsync(_dir.Path, _index);
        Assert.Equal(before, TreeSnapshot.Take(_dir.Path));
    }
}
