using Lockstep.FileSystem.Native;
using Lockstep.Testing;

namespace Lockstep.FileSystem.Tests.Native;

/// <summary>
/// The calls the puller makes on an open temp file instead of on its path: fstat and futimens. They must give
/// exactly what the path calls give, to the nanosecond, and follow the file, not the name.
/// </summary>
public sealed class HandleCallsTests : IDisposable
{
    private readonly TempDirectory _dir = new("lockstep-handle");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Fstat_of_a_handle_is_the_lstat_of_its_file_and_follows_it_through_a_rename()
    {
        var temp = _dir.Write(".syncthing.a.tmp", "twelve bytes");
        using var handle = File.OpenHandle(temp, FileMode.Open, FileAccess.ReadWrite);
        NativeFile.SetModified(handle, temp, 1_600_000_000, 123_456_789);
        File.SetUnixFileMode(handle, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        Assert.True(NativeFile.TryFstat(handle, out var viaHandle, out int errno), $"errno {errno}");
        Assert.True(NativeFile.TryLstat(temp, out var viaPath, out _));
        Assert.Equal(viaPath, viaHandle); // inode, device, size, mode, mtime to the ns
        Assert.Equal(12, viaHandle.Size);
        Assert.Equal((1_600_000_000L, 123_456_789), (viaHandle.ModifiedS, viaHandle.ModifiedNs));
        Assert.Equal(0x8000 | 0b110_100_000, (int)viaHandle.Mode);

        // Renamed into place, the file keeps every field the handle reported (what OwnWrites compares its echo with).
        var target = _dir.Combine("a");
        File.Move(temp, target);
        Assert.True(NativeFile.TryLstat(target, out var after, out _));
        Assert.Equal(viaHandle, after);
        Assert.True(NativeFile.TryFstat(handle, out var stillOpen, out _));
        Assert.Equal(after, stillOpen);
    }

    [Fact]
    public void A_closed_handle_is_refused_rather_than_its_old_descriptor_number_used()
    {
        // The number may already belong to another file: touching it would set that file's mtime.
        var path = _dir.Write("b", "x");
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        handle.Dispose();
        Assert.Throws<ObjectDisposedException>(() => NativeFile.SetModified(handle, path, 1, 2));
        Assert.Throws<ObjectDisposedException>(() => NativeFile.TryFstat(handle, out _, out _));
        Assert.True(NativeFile.TryLstat(path, out var untouched, out _));
        Assert.NotEqual(1, untouched.ModifiedS);
    }
}
