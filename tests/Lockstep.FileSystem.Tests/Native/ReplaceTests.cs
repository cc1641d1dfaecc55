using Lockstep.FileSystem.Native;
using Lockstep.Testing;

namespace Lockstep.FileSystem.Tests.Native;

/// <summary>rename(2) as the puller uses it: a finished temp file over its target, with errors that name both paths.</summary>
public sealed class ReplaceTests : IDisposable
{
    private readonly TempDirectory _dir = new("lockstep-replace");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_file_replaces_its_target_and_keeps_its_inode()
    {
        var temp = _dir.Write(".syncthing.a.tmp", "new");
        var target = _dir.Write("a", "old");
        Assert.True(NativeFile.TryLstat(temp, out var before, out _));
        NativeFile.Replace(temp, target);
        Assert.Equal("new", File.ReadAllText(target));
        Assert.False(File.Exists(temp));
        Assert.True(NativeFile.TryLstat(target, out var after, out _));
        Assert.Equal(before.Inode, after.Inode);

        var fresh = _dir.Write(".syncthing.b.tmp", "b");
        NativeFile.Replace(fresh, _dir.Combine("b")); // no target yet
        Assert.Equal("b", File.ReadAllText(_dir.Combine("b")));
    }

    [Fact]
    public void A_missing_source_or_a_directory_in_the_way_fails_naming_the_paths()
    {
        var gone = Assert.Throws<FileNotFoundException>(() => NativeFile.Replace(_dir.Combine("nothing"), _dir.Combine("x")));
        Assert.Contains(_dir.Combine("nothing"), gone.Message);

        var temp = _dir.Write(".syncthing.c.tmp", "c");
        Directory.CreateDirectory(_dir.Combine("c", "inside"));
        var e = Assert.Throws<IOException>(() => NativeFile.Replace(temp, _dir.Combine("c")));
        Assert.Equal(21, e.HResult); // EISDIR
        Assert.Contains(temp, e.Message);
        Assert.Contains(_dir.Combine("c"), e.Message);
        Assert.True(File.Exists(temp));
        Assert.True(Directory.Exists(_dir.Combine("c", "inside")));
    }
}
