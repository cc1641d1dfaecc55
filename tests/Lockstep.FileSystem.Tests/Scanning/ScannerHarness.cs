using Lockstep.FileSystem.Ignore;
using Lockstep.FileSystem.Scanning;

namespace Lockstep.FileSystem.Tests.Scanning;

internal static class ScannerHarness
{
    /// <summary>
    /// Moves every mtime of the last second back by one second: the files a test just wrote look like files
    /// at rest, which the scanner accepts (a file written within a kernel tick of its read is deferred).
    /// </summary>
    public static void Settle(string root)
    {
        var recent = DateTime.UtcNow.AddSeconds(-1);
        foreach (var path in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var info = new System.IO.FileInfo(path);
            if (info.LinkTarget is null && info.LastWriteTimeUtc > recent)
                info.LastWriteTimeUtc = info.LastWriteTimeUtc.AddSeconds(-1);
        }
    }

    public static async Task<(List<ScannedItem> Items, ScanResult Result)> ScanAsync(string root, ICurrentFiler current,
        IReadOnlyCollection<string>? paths = null, ScanOptions? options = null, IgnoreMatcher? ignores = null)
    {
        Settle(root);
        var items = new List<ScannedItem>();
        var scanner = new FolderScanner(root, ignores ?? IgnoreMatcher.Load(root), options ?? new ScanOptions());
        var result = await scanner.ScanAsync(current, paths, (batch, _) =>
        {
            lock (items)
                items.AddRange(batch);
            return ValueTask.CompletedTask;
        });
        return (items, result);
    }
}
