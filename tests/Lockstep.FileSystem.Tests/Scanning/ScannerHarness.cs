using Lockstep.FileSystem.Ignore;
using Lockstep.FileSystem.Scanning;

namespace Lockstep.FileSystem.Tests.Scanning;

internal static class ScannerHarness
{
    public static async Task<(List<ScannedItem> Items, ScanResult Result)> ScanAsync(string root, ICurrentFiler current,
        IReadOnlyCollection<string>? paths = null, ScanOptions? options = null, IgnoreMatcher? ignores = null)
    {
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
