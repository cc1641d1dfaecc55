using Lockstep.FileSystem.Scanning;

namespace Lockstep.FileSystem.Tests.Scanning;

/// <summary>An in-memory index view for scanner unit tests (pure logic; the real index is tested in Sync).</summary>
internal sealed class FakeCurrentFiler : ICurrentFiler
{
    public Dictionary<string, CurrentFile> Files { get; } = new(StringComparer.Ordinal);

    public bool TryGet(string name, out CurrentFile current) => Files.TryGetValue(name, out current);

    /// <summary>Records every changed item the way the runner would, so a second scan sees them as known.</summary>
    public void Absorb(IEnumerable<ScannedItem> items)
    {
        foreach (var i in items)
            Files[i.Name] = new CurrentFile(i.Type, i.Size, i.ModifiedS, i.ModifiedNs, i.Permissions, i.Inode, false, false, i.SymlinkTarget, i.BlockSize);
    }
}
