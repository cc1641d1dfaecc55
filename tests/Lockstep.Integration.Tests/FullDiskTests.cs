using System.Security.Cryptography;
using Lockstep.Integration.Tests.Support;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>
/// A pull into a folder on a full disk (a 2 MiB tmpfs): a clear error naming the file, nothing partial at the
/// target, the folder's other files intact, the files that fit pulled anyway, and the pull completes by itself once
/// there is room.
/// </summary>
public sealed class FullDiskTests : IAsyncLifetime
{
    private TestNode _a = null!, _b = null!;
    private string? _mounted;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public Task InitializeAsync()
    {
        _a = TestNode.Create("a");
        _b = TestNode.Create("b");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.StopAsync();
        if (_mounted is not null)
            await ProcessRunner.RunAsync("umount", [_mounted]);
        await _b.DisposeAsync();
    }

    private static async Task MountAsync(string path, string size, bool remount = false)
    {
        var r = await ProcessRunner.RunAsync("mount", remount ? ["-o", $"remount,size={size}", path] : ["-t", "tmpfs", "-o", $"size={size}", "tmpfs", path]);
        Assert.True(r.ExitCode == 0, $"this test needs root to mount a small tmpfs (ARCHITECTURE.md §5): {r}");
    }

    [Fact]
    public async Task A_full_disk_stops_only_that_file_with_a_clear_error_and_the_pull_resumes_when_space_returns()
    {
        var folderB = _b.FolderPath("f");
        Directory.CreateDirectory(folderB);
        await MountAsync(folderB, "2m");
        _mounted = folderB;
        TestNode.Share("f", _a, _b);
        // The big file first, the order that hurts: it must not take the little room there is from the small one.
        _b.Configure(c => c.WithFolder(c.Folders.Single() with { Order = Lockstep.Sync.Pulling.PullOrder.LargestFirst }));
        File.WriteAllText(Path.Combine(folderB, "mine.txt"), "b's own file");
        var big = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
        File.WriteAllBytes(Path.Combine(_a.FolderPath("f"), "big.bin"), big);
        File.WriteAllText(Path.Combine(_a.FolderPath("f"), "small.txt"), "fits");
        await _a.StartAsync();
        await _b.StartAsync();

        var runner = _b.Host.Runners[0];
        // One read of the list: a retry replaces it, so it can be empty again a moment later.
        var error = await Eventually.ValueAsync(() => runner.PullErrors.FirstOrDefault(e => e.Name == "big.bin"), Patience, "the pull of big.bin to fail");
        Assert.Contains("not enough free space", error.Message);
        Assert.False(File.Exists(Path.Combine(folderB, "big.bin")), "a partial file reached the target path");
        Assert.Equal("b's own file", File.ReadAllText(Path.Combine(folderB, "mine.txt")));
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(folderB, "small.txt")), Patience, "the file that fits to arrive anyway");

        await MountAsync(folderB, "16m", remount: true);
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(folderB, "big.bin")), Patience, "the retry to complete the pull once there is room");
        Assert.Equal(big, File.ReadAllBytes(Path.Combine(folderB, "big.bin")));
        await Eventually.TrueAsync(() => runner.PullErrors.Count == 0, Patience, "the error to clear");
    }
}
