using Lockstep.Index;
using Lockstep.Protocol.Messages;
using Lockstep.Testing;

namespace Lockstep.Sync.Tests.Exchange;

/// <summary>Refusals decided on disk: bytes changed behind the index, special files, symlinks out of the folder.</summary>
public sealed class RequestServerDiskTests : RequestServerTestBase
{
    [Fact]
    public async Task Bytes_changed_behind_the_index_are_refused_and_the_file_rescanned()
    {
        var content = TwoBlocks();
        var file = await WriteAndScanAsync("d/data.bin", content);
        // Same length, so only the hash of what is read can tell.
        content[BlockSize + 10] ^= 0xFF;
        File.WriteAllBytes(F.Folder.Combine("d/data.bin"), content);

        Assert.Equal(ErrorCode.NoError, (await ServeAsync(RequestFor(file, 0))).Code); // untouched block
        Assert.Empty(Rescans);
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(RequestFor(file, 1)));
        Assert.Equal(["d/data.bin"], Rescans);
    }

    [Fact]
    public async Task The_scan_records_Adler32_weak_hashes_and_a_change_is_caught_by_them()
    {
        var content = TwoBlocks();
        var file = await WriteAndScanAsync("weak.bin", content);
        Assert.Equal(
            [Lockstep.Protocol.Blocks.Adler32.Compute(content.AsSpan(0, BlockSize)), Lockstep.Protocol.Blocks.Adler32.Compute(content.AsSpan(BlockSize))],
            file.Blocks.Select(b => b.WeakHash));
        content[3] ^= 0x01;
        File.WriteAllBytes(F.Folder.Combine("weak.bin"), content);
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(RequestFor(file, 0)));
        Assert.Equal(["weak.bin"], Rescans);
    }

    [Fact]
    public async Task Without_a_weak_hash_in_the_index_the_bytes_are_checked_with_SHA256()
    {
        var content = "0123456789"u8.ToArray();
        var path = F.Folder.Combine("strong.bin");
        File.WriteAllBytes(path, content);
        F.Index.CommitLocal([new LocalFile(RegularFile("strong.bin", content), 0)]); // weak hash 0, as from an old index
        var file = F.Index.GetLocal("strong.bin")!;
        Assert.Equal(0u, file.Blocks[0].WeakHash);
        Assert.Equal(ErrorCode.NoError, (await ServeAsync(RequestFor(file, 0))).Code);

        File.WriteAllBytes(path, "0123456780"u8.ToArray());
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(RequestFor(file, 0)));
        Assert.Equal(["strong.bin"], Rescans);
    }

    [Fact]
    public async Task A_file_truncated_or_removed_behind_the_index_is_refused_and_rescanned()
    {
        var file = await WriteAndScanAsync("data.bin", TwoBlocks());
        var path = F.Folder.Combine("data.bin");
        using (var stream = File.OpenWrite(path))
            stream.SetLength(BlockSize + 10);
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(RequestFor(file, 1)));
        Assert.Equal(["data.bin"], Rescans);

        File.Delete(path);
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(RequestFor(file, 0)));
        Assert.Equal(["data.bin", "data.bin"], Rescans);
    }

    [Fact]
    public async Task A_fifo_where_the_index_has_a_file_is_refused_without_opening_it()
    {
        var content = "alpha"u8.ToArray();
        var path = F.Folder.Combine("pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", path))
            await mkfifo.WaitForExitAsync();
        F.Index.CommitLocal([new LocalFile(RegularFile("pipe", content), 0)]);

        // Opening a FIFO for reading blocks until a writer comes: the server must refuse before it opens. The open
        // would block synchronously, so serve on the pool to keep the timeout below able to report it.
        var request = RequestFor(F.Index.GetLocal("pipe")!, 0);
        var serving = Task.Run(() => ServeAsync(request));
        try
        {
            AssertRefused(ErrorCode.NoSuchFile, await serving.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(["pipe"], Rescans);
        }
        finally
        {
            if (!serving.IsCompleted)
                using (File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite)) { } // O_RDWR never blocks on Linux; it releases a blocked reader
        }
    }

    [Fact]
    public async Task A_symlinked_directory_pointing_outside_the_folder_is_never_followed()
    {
        using var outside = new TempDirectory("outside");
        var secret = "the neighbour's secret"u8.ToArray();
        outside.Write("secret.txt", secret);
        Directory.CreateSymbolicLink(F.Folder.Combine("link"), outside.Path);
        // A hostile or stale index: it claims a regular file with exactly the outside file's blocks.
        F.Index.CommitLocal([new LocalFile(RegularFile("link/secret.txt", secret), 0)]);
        var request = RequestFor(F.Index.GetLocal("link/secret.txt")!, 0);

        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(request));
    }

    [Fact]
    public async Task A_symlinked_file_pointing_outside_the_folder_is_never_followed()
    {
        using var outside = new TempDirectory("outside");
        var secret = "the neighbour's secret"u8.ToArray();
        File.CreateSymbolicLink(F.Folder.Combine("alias.txt"), outside.Write("secret.txt", secret));
        F.Index.CommitLocal([new LocalFile(RegularFile("alias.txt", secret), 0)]);

        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(RequestFor(F.Index.GetLocal("alias.txt")!, 0)));
    }
}
