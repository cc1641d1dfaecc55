using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Lockstep.FileSystem.Native;
using Lockstep.Testing;

namespace Lockstep.FileSystem.Tests.Native;

/// <summary>
/// Direct writes (O_DIRECT) as the puller uses them for big files: the bytes read back exactly through a normal
/// descriptor, mixed with buffered writes of an unaligned tail; they really bypass the page cache (mincore); unaligned
/// ranges are refused; a full disk is an IOException that names the file and the cause.
/// </summary>
public sealed partial class DirectFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("lockstep-direct");
    private string? _mounted;

    public void Dispose()
    {
        if (_mounted is not null)
            ProcessRunner.RunAsync("umount", [_mounted]).GetAwaiter().GetResult();
        _dir.Dispose();
    }

    private static string NewFile(string path, long length)
    {
        using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite);
        RandomAccess.SetLength(handle, length);
        return path;
    }

    [Fact]
    public void Aligned_blocks_written_direct_and_an_unaligned_tail_written_buffered_read_back_exactly()
    {
        const int block = 128 * 1024;
        var data = RandomNumberGenerator.GetBytes(8 * block + 777);
        var path = NewFile(_dir.Combine("t.bin"), data.Length);
        using (var buffered = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite))
        using (var direct = DirectFile.TryOpen(path))
        {
            Assert.True(direct is not null, "this machine's temp file system offers direct I/O (statx STATX_DIOALIGN); the puller relies on it for big files");
            // Out of order and from many threads, as the puller writes.
            Parallel.For(0, 9, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            {
                int j = 8 - i;
                long offset = (long)j * block;
                var span = data.AsSpan((int)offset, Math.Min(block, data.Length - (int)offset));
                if (direct.Fits(offset, span.Length))
                    Assert.True(direct.TryWrite(span, offset));
                else
                    RandomAccess.Write(buffered, span, offset);
            });
            Assert.False(direct.Fits(8L * block, 777), "the unaligned tail must go through the normal descriptor");
            RandomAccess.FlushToDisk(buffered);
        }
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(File.ReadAllBytes(path)));
    }

    [Fact]
    public void Direct_writes_leave_nothing_in_the_page_cache()
    {
        const int size = 4 << 20;
        var path = NewFile(_dir.Combine("c.bin"), size);
        var data = RandomNumberGenerator.GetBytes(size);
        using (var direct = DirectFile.TryOpen(path)!)
            Assert.True(direct.TryWrite(data, 0));
        Assert.True(ResidentPages(path, size) < size / Environment.SystemPageSize / 10,
            "most of a file written with O_DIRECT was found in the page cache: the writes went through it");

        // The same bytes written the normal way are resident: the measurement itself works.
        File.WriteAllBytes(path, data);
        Assert.True(ResidentPages(path, size) > size / Environment.SystemPageSize / 2);
    }

    [Fact]
    public void Unaligned_ranges_are_refused()
    {
        var path = NewFile(_dir.Combine("u.bin"), 1 << 20);
        using var direct = DirectFile.TryOpen(path)!;
        int a = direct.Alignment;
        Assert.True(direct.Fits(0, a));
        Assert.True(direct.Fits(a * 4L, a * 2));
        Assert.False(direct.Fits(1, a));
        Assert.False(direct.Fits(0, a + 1));
        Assert.False(direct.Fits(0, 0));
        Assert.Throws<ArgumentException>(() => direct.TryWrite(new byte[a + 1], 0));
    }

    [Fact]
    public void A_missing_file_yields_no_direct_descriptor()
    {
        Assert.Null(DirectFile.TryOpen(_dir.Combine("absent.bin")));
    }

    [Fact]
    public async Task A_full_disk_is_an_IOException_naming_the_file_and_the_cause()
    {
        // A small ext4 on a loop device: tmpfs offers no DIO alignment through statx, so it never goes direct.
        var image = _dir.Combine("small.img");
        using (var f = File.Create(image))
            f.SetLength(8 << 20);
        var mkfs = await ProcessRunner.RunAsync("mkfs.ext4", ["-q", "-F", image]);
        Assert.True(mkfs.ExitCode == 0, $"mkfs.ext4 (e2fsprogs) failed: {mkfs}");
        var mount = _dir.Combine("small");
        Directory.CreateDirectory(mount);
        var r = await ProcessRunner.RunAsync("mount", ["-o", "loop", image, mount]);
        Assert.True(r.ExitCode == 0, $"this test needs root to mount a small loop file system (ARCHITECTURE.md §5): {r}");
        _mounted = mount;
        var path = NewFile(Path.Combine(mount, "big.bin"), 16 << 20);
        using var direct = DirectFile.TryOpen(path);
        Assert.True(direct is not null, "ext4 offers direct I/O");
        var block = new byte[128 * 1024];
        var e = Assert.Throws<IOException>(() =>
        {
            for (long offset = 0; offset < 16 << 20; offset += block.Length)
                direct.TryWrite(block, offset);
        });
        Assert.Contains("big.bin", e.Message);
        Assert.Contains("space", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(NativeFile.IsNoSpace(e), "a full disk is told apart from other I/O errors");
    }

    [LibraryImport("libc", EntryPoint = "mincore", SetLastError = true)]
    private static unsafe partial int MinCore(byte* address, nuint length, byte* vector);

    private static unsafe int ResidentPages(string path, long length)
    {
        using var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        try
        {
            int pages = (int)((length + Environment.SystemPageSize - 1) / Environment.SystemPageSize);
            var vector = new byte[pages];
            // The view starts at the mapping's page-aligned base plus the offset (0 here).
            fixed (byte* v = vector)
                Assert.True(MinCore(pointer + view.PointerOffset, (nuint)length, v) == 0, $"mincore failed: errno {Marshal.GetLastPInvokeError()}");
            return vector.Count(b => (b & 1) != 0);
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }
}
