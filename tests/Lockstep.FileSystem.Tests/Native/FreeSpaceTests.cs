using Lockstep.FileSystem.Native;
using Lockstep.Testing;

namespace Lockstep.FileSystem.Tests.Native;

/// <summary>fstatvfs and ENOSPC on a tmpfs of known size, where every byte written is a byte allocated.</summary>
public sealed class FreeSpaceTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("lockstep-free");
    private bool _mounted;

    public async Task InitializeAsync()
    {
        var r = await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", _dir.Path]);
        Assert.True(r.ExitCode == 0, $"this test needs root to mount a small tmpfs (ARCHITECTURE.md §5): {r}");
        _mounted = true;
    }

    public async Task DisposeAsync()
    {
        if (_mounted)
            await ProcessRunner.RunAsync("umount", [_dir.Path]);
        _dir.Dispose();
    }

    [Fact]
    public void Free_space_is_what_the_filesystem_has_left_and_a_write_past_it_is_told_apart_as_no_space()
    {
        using var handle = File.OpenHandle(_dir.Combine("a.bin"), FileMode.CreateNew, FileAccess.ReadWrite);
        Assert.True(NativeFile.TryFreeSpace(handle, out long free, out int errno), $"errno {errno}");
        Assert.Equal(1L << 20, free);
        Assert.Equal(new DriveInfo(_dir.Path).AvailableFreeSpace, free);

        RandomAccess.Write(handle, new byte[256 * 1024], 0);
        Assert.True(NativeFile.TryFreeSpace(handle, out free, out _));
        Assert.Equal(768 * 1024, free);

        var e = Assert.ThrowsAny<IOException>(() => RandomAccess.Write(handle, new byte[1 << 20], 256 * 1024));
        Assert.True(NativeFile.IsNoSpace(e), $"not recognised as ENOSPC: {e.GetType().Name} 0x{e.HResult:x}: {e.Message}");
        Assert.Equal(0, new DriveInfo(_dir.Path).AvailableFreeSpace);
        Assert.False(NativeFile.IsNoSpace(new IOException("an I/O error", 5)));
    }
}
