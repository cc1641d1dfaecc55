using System.Security.Cryptography;
using Lockstep.FileSystem.Ignore;
using Lockstep.FileSystem.Names;
using Lockstep.FileSystem.Native;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using Lockstep.Sync.Folders;
using Lockstep.Sync.Pulling;
using Lockstep.Testing;

namespace Lockstep.Sync.Tests.Pulling;

/// <summary>
/// A pull into a folder on a small tmpfs: a file that cannot fit is refused before a byte of it is written, a file
/// the disk fills up under is dropped with its temp file, and in both cases the space goes to the files that fit.
/// </summary>
public sealed class FullDiskPullTests : IAsyncLifetime
{
    private static readonly DeviceId Peer = new(Enumerable.Repeat((byte)7, 32).ToArray());
    private readonly SyncFixture _target = new(marker: false);
    private readonly SyncFixture _source = new();
    private bool _mounted;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_mounted)
            await ProcessRunner.RunAsync("umount", [_target.Folder.Path]);
        _target.Dispose();
        _source.Dispose();
    }

    private async Task MountAsync(string size, bool remount = false)
    {
        var r = await ProcessRunner.RunAsync("mount", remount
            ? ["-o", $"remount,size={size}", _target.Folder.Path]
            : ["-t", "tmpfs", "-o", $"size={size}", "tmpfs", _target.Folder.Path]);
        Assert.True(r.ExitCode == 0, $"this test needs root to mount a small tmpfs (ARCHITECTURE.md §5): {r}");
        _mounted = true;
        if (!remount)
            FolderMarker.Create(_target.Folder.Path);
    }

    /// <summary>The source's files, scanned as the peer's, announced to the target.</summary>
    private async Task AnnounceAsync(params (string Name, byte[] Data)[] files)
    {
        foreach (var (name, data) in files)
            File.WriteAllBytes(_source.Folder.Combine(name), data);
        await _source.ScanAsync(tweak: s => s with { LocalDevice = Peer.Short });
        long sequence = 0;
        _target.Index.ReplaceRemote(Peer, files.Select(f => _source.Index.GetLocal(f.Name)! with { Sequence = ++sequence }).ToList());
    }

    private Task<PullSummary> PullAsync(IBlockRequester peers) =>
        new Puller(_target.Settings(s => s with { Peers = [Peer], PullOrder = PullOrder.LargestFirst }), _target.Index, peers, new PullProgress(), _ => { }, _target.Clock)
            .RunAsync(IgnoreMatcher.Empty, allowDeletes: false, CancellationToken.None);

    private string TempOf(string name) => _target.Folder.Combine(InternalNames.TempNameFor(name));

    [Fact]
    public async Task A_file_that_cannot_fit_is_refused_before_a_byte_is_written_and_the_files_that_fit_still_land()
    {
        await MountAsync("512k");
        var big = RandomNumberGenerator.GetBytes(768 * 1024);
        await AnnounceAsync(("big.bin", big), ("small.txt", "fits"u8.ToArray()));
        var peers = new SourcePeer(Peer, _source.Folder.Path);

        // Largest first: before, the big file's temp file took what room there was and the small one failed too.
        var summary = await PullAsync(peers);
        var error = Assert.Single(summary.Errors);
        Assert.Equal("big.bin", error.Name);
        Assert.Contains("not enough free space: 768.0 KiB more is needed", error.Message);
        Assert.Contains("pulled again when there is room", error.Message);
        Assert.Equal(0, peers.RequestsFor("big.bin"));
        Assert.False(File.Exists(TempOf("big.bin")), "the refused file left a temp file");
        Assert.False(File.Exists(_target.Folder.Combine("big.bin")));
        Assert.Equal("fits", File.ReadAllText(_target.Folder.Combine("small.txt")));

        await MountAsync("4m", remount: true);
        summary = await PullAsync(peers);
        Assert.Empty(summary.Errors);
        Assert.Equal(big, File.ReadAllBytes(_target.Folder.Combine("big.bin")));
    }

    [Fact]
    public async Task A_disk_that_fills_up_during_the_pull_drops_the_files_temp_file_and_the_retry_completes_it()
    {
        await MountAsync("1m");
        var big = RandomNumberGenerator.GetBytes(768 * 1024);
        await AnnounceAsync(("big.bin", big));
        var filler = _target.Folder.Combine("filler.bin");
        // Another writer takes all but 64 KiB while the first block is on its way: the check before the pull passed.
        var peers = new SourcePeer(Peer, _source.Folder.Path, beforeFirstAnswer: () =>
        {
            using var writer = File.OpenHandle(filler, FileMode.CreateNew, FileAccess.Write);
            Assert.True(NativeFile.TryFreeSpace(writer, out long free, out int errno), $"fstatvfs failed: errno {errno}");
            RandomAccess.Write(writer, new byte[free - 64 * 1024], 0);
        });

        var summary = await PullAsync(peers);
        var error = Assert.Single(summary.Errors);
        Assert.Equal("big.bin", error.Name);
        Assert.Contains("ran out of space while the file was written", error.Message);
        Assert.False(File.Exists(TempOf("big.bin")), "the failed file's temp file still holds the disk");
        Assert.False(File.Exists(_target.Folder.Combine("big.bin")));
        Assert.True(File.Exists(filler), "the other writer's file was touched");

        File.Delete(filler);
        summary = await PullAsync(peers);
        Assert.Empty(summary.Errors);
        Assert.Equal(big, File.ReadAllBytes(_target.Folder.Combine("big.bin")));
    }
}
