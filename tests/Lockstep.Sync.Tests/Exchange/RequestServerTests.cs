using System.Security.Cryptography;
using Lockstep.FileSystem.Ignore;
using Lockstep.Index;
using Lockstep.Protocol.Messages;

namespace Lockstep.Sync.Tests.Exchange;

/// <summary>Serving blocks, and the refusals decided from the request and our index (bep-v1.md §5.8).</summary>
public sealed class RequestServerTests : RequestServerTestBase
{
    [Fact]
    public async Task Serves_each_block_of_a_scanned_file_from_disk()
    {
        var content = TwoBlocks();
        var file = await WriteAndScanAsync("d/data.bin", content);
        Assert.Equal(2, file.Blocks.Length);

        var first = await ServeAsync(RequestFor(file, 0));
        Assert.Equal(ErrorCode.NoError, first.Code);
        Assert.Equal(42, first.Id);
        Assert.Equal(content.AsSpan(0, BlockSize), first.Data.Span);

        var tail = await ServeAsync(RequestFor(file, 1));
        Assert.Equal(ErrorCode.NoError, tail.Code);
        Assert.Equal(content.AsSpan(BlockSize), tail.Data.Span);

        // A request without a hash is still checked against the index and served.
        var unhashed = await ServeAsync(RequestFor(file, 1) with { Hash = [] });
        Assert.Equal(ErrorCode.NoError, unhashed.Code);
        Assert.Equal(content.AsSpan(BlockSize), unhashed.Data.Span);
        Assert.Empty(Rescans);
    }

    [Fact]
    public async Task A_size_zero_request_for_an_empty_file_gets_empty_data_and_no_error()
    {
        var file = await WriteAndScanAsync("empty.txt", []);
        var request = new Request { Id = 3, Folder = "f1", Name = "empty.txt", Offset = 0, Size = 0, Hash = SHA256.HashData([]) };

        var response = await ServeAsync(request);
        Assert.Equal(ErrorCode.NoError, response.Code);
        Assert.Equal(3, response.Id);
        Assert.True(response.Data.IsEmpty);
        Assert.Equal(ErrorCode.NoError, (await ServeAsync(request with { Hash = [] })).Code);
        Assert.Empty(Rescans);
        Assert.True(file.IsFile);
    }

    [Fact]
    public async Task An_empty_file_indexed_without_its_empty_block_still_answers_size_zero()
    {
        F.Folder.Write("empty.txt", []);
        F.Index.CommitLocal([new LocalFile(RegularFile("empty.txt", []) with { Blocks = [] }, 0)]);

        var response = await ServeAsync(new Request { Folder = "f1", Name = "empty.txt", Offset = 0, Size = 0, Hash = SHA256.HashData([]) });
        Assert.Equal(ErrorCode.NoError, response.Code);
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(new Request { Folder = "f1", Name = "empty.txt", Offset = 0, Size = 1 }));
    }

    [Fact]
    public async Task A_name_the_index_does_not_hold_is_no_such_file()
    {
        var file = await WriteAndScanAsync("a.txt", "alpha"u8.ToArray());
        // On disk but never scanned: we do not serve what we have not indexed.
        F.Folder.Write("unscanned.txt", "alpha");
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(RequestFor(file, 0) with { Name = "unscanned.txt" }));
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(RequestFor(file, 0) with { Name = "nowhere.txt" }));
        Assert.Empty(Rescans);
    }

    [Fact]
    public async Task A_deleted_file_is_no_such_file()
    {
        var file = await WriteAndScanAsync("a.txt", "alpha"u8.ToArray());
        File.Delete(F.Folder.Combine("a.txt"));
        await F.ScanAsync();
        Assert.True(F.Index.GetLocal("a.txt")!.Deleted);

        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(RequestFor(file, 0)));
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(RequestFor(file, 0) with { Size = 0, Hash = [] }));
        Assert.Empty(Rescans); // the index already knows: nothing to rescan
    }

    [Fact]
    public async Task A_tombstone_is_no_such_file_even_if_it_kept_its_blocks_and_the_bytes_are_back()
    {
        var content = "alpha"u8.ToArray();
        F.Folder.Write("a.txt", content);
        F.Index.CommitLocal([new LocalFile(RegularFile("a.txt", content) with { Deleted = true }, 0)]);
        var tombstone = F.Index.GetLocal("a.txt")!;
        Assert.True(tombstone.Deleted);

        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(RequestFor(tombstone, 0)));
    }

    [Fact]
    public async Task A_directory_is_no_such_file()
    {
        F.Folder.Write("d/inner.txt", "x");
        await F.ScanAsync();
        Assert.True(F.Index.GetLocal("d")!.IsDirectory);

        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(new Request { Folder = "f1", Name = "d", Offset = 0, Size = 0 }));
        Assert.Empty(Rescans); // refused from the index, not from a disk that disagrees with it
    }

    [Fact]
    public async Task An_entry_marked_invalid_in_our_index_is_no_such_file()
    {
        var content = "observed"u8.ToArray();
        F.Folder.Write("obs.txt", content);
        F.Index.CommitLocal([new LocalFile(RegularFile("obs.txt", content) with { Invalid = true }, 0)]);

        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(RequestFor(F.Index.GetLocal("obs.txt")!, 0)));
    }

    [Fact]
    public async Task An_ignored_file_is_invalid_file_even_while_the_index_still_holds_it()
    {
        var file = await WriteAndScanAsync("secret/key.pem", "private"u8.ToArray());
        Assert.Equal(ErrorCode.NoError, (await ServeAsync(RequestFor(file, 0))).Code);

        Ignores = IgnoreMatcher.Parse("secret\n", F.Folder.Path);
        AssertRefused(ErrorCode.InvalidFile, await ServeAsync(RequestFor(file, 0)));
    }

    [Theory]
    [InlineData(".stfolder")]
    [InlineData(".stignore")]
    [InlineData(".stversions/a.txt")]
    public async Task Internal_names_are_invalid_file(string name)
    {
        F.Folder.Write(".stignore", "// nothing\n");
        F.Folder.Write(".stversions/a.txt", "old");
        AssertRefused(ErrorCode.InvalidFile, await ServeAsync(new Request { Folder = "f1", Name = name, Offset = 0, Size = 3 }));
    }

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("..")]
    [InlineData("d/../a.txt")]
    [InlineData("./a.txt")]
    [InlineData("d//a.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("d/")]
    [InlineData("e\u0301.txt")] // NFD
    public async Task Uncanonical_or_escaping_names_are_generic(string name)
    {
        var file = await WriteAndScanAsync("a.txt", "alpha"u8.ToArray());
        AssertRefused(ErrorCode.Generic, await ServeAsync(RequestFor(file, 0) with { Name = name }));
    }

    [Theory]
    [InlineData(-1, 5)]
    [InlineData(0, -1)]
    public async Task Negative_offset_or_size_is_invalid_file(long offset, int size)
    {
        var file = await WriteAndScanAsync("a.txt", "alpha"u8.ToArray());
        AssertRefused(ErrorCode.InvalidFile, await ServeAsync(RequestFor(file, 0) with { Offset = offset, Size = size }));
    }

    [Fact]
    public async Task A_request_for_another_folder_is_generic()
    {
        var file = await WriteAndScanAsync("a.txt", "alpha"u8.ToArray());
        AssertRefused(ErrorCode.Generic, await ServeAsync(RequestFor(file, 0) with { Folder = "f2" }));
    }

    [Fact]
    public async Task An_offset_that_is_not_one_of_our_blocks_is_no_such_file()
    {
        var file = await WriteAndScanAsync("data.bin", TwoBlocks());
        var tail = RequestFor(file, 1);
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(tail with { Offset = tail.Offset + 1 }));
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(tail with { Offset = tail.Offset - 1 }));
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(tail with { Offset = 2L * BlockSize })); // past the last block
        Assert.Equal(ErrorCode.NoError, (await ServeAsync(tail)).Code);
        Assert.Empty(Rescans);
    }

    [Fact]
    public async Task A_size_other_than_the_blocks_is_no_such_file()
    {
        var file = await WriteAndScanAsync("data.bin", TwoBlocks());
        var head = RequestFor(file, 0);
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(head with { Size = BlockSize - 1 }));
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(head with { Size = BlockSize + 1 }));
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(head with { Size = 0 }));
        Assert.Equal(ErrorCode.NoError, (await ServeAsync(head)).Code);
        Assert.Empty(Rescans);
    }

    [Fact]
    public async Task A_hash_other_than_the_blocks_is_no_such_file()
    {
        var file = await WriteAndScanAsync("data.bin", TwoBlocks());
        var head = RequestFor(file, 0);
        var flipped = (byte[])head.Hash.Clone();
        flipped[^1] ^= 1;
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(head with { Hash = flipped }));
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(head with { Hash = file.Blocks[1].Hash }));
        Assert.Equal(ErrorCode.NoError, (await ServeAsync(head)).Code);
        Assert.Empty(Rescans);
    }

    [Fact]
    public async Task From_temporary_reads_the_temp_file_of_the_pull_in_progress()
    {
        var file = await WriteAndScanAsync("d/a.txt", "the old version"u8.ToArray());
        var pulling = "the new version, half pulled"u8.ToArray();
        F.Folder.Write("d/.syncthing.a.txt.tmp", pulling);
        var request = new Request
        {
            Id = 9, Folder = "f1", Name = "d/a.txt", Offset = 0, Size = pulling.Length, Hash = SHA256.HashData(pulling), FromTemporary = true,
        };

        var response = await ServeAsync(request);
        Assert.Equal(ErrorCode.NoError, response.Code);
        Assert.Equal(pulling, response.Data.ToArray());

        // The temp file's bytes must hash to what was asked for; when they do not, as Syncthing, the file itself
        // is tried (the pull may have finished), and it answers only for a block of its own.
        var old = RequestFor(file, 0) with { FromTemporary = true };
        var fallback = await ServeAsync(old);
        Assert.Equal(ErrorCode.NoError, fallback.Code);
        Assert.Equal("the old version"u8.ToArray(), fallback.Data.ToArray());
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(request with { Hash = SHA256.HashData("something else"u8) }));
        Assert.Empty(Rescans);
    }

    [Fact]
    public async Task From_temporary_without_a_temp_file_is_no_such_file()
    {
        var file = await WriteAndScanAsync("a.txt", "alpha"u8.ToArray());
        Assert.Equal(ErrorCode.NoError, (await ServeAsync(RequestFor(file, 0))).Code);
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(RequestFor(file, 0) with { FromTemporary = true }));
    }
}
