using Lockstep.FileSystem.Scanning;
using Lockstep.Index;

namespace Lockstep.Sync.Folders;

/// <summary>
/// The index as the scanner sees it. A full scan loads every row's metadata once (a dictionary lookup per
/// file); a scan of a few paths asks SQLite per name instead of loading a large folder.
/// </summary>
internal sealed class IndexCurrentFiler : ICurrentFiler
{
    private readonly FolderIndex _index;
    private readonly Dictionary<string, LocalFileMeta>? _all;
    private readonly bool _invalidIsOurs;

    private IndexCurrentFiler(FolderIndex index, Dictionary<string, LocalFileMeta>? all, bool invalidIsOurs)
    {
        _index = index;
        _all = all;
        _invalidIsOurs = invalidIsOurs;
    }

    public static IndexCurrentFiler Full(FolderIndex index, bool invalidIsOurs)
    {
        var all = new Dictionary<string, LocalFileMeta>(StringComparer.Ordinal);
        foreach (var meta in index.EnumerateLocalMeta())
            all[meta.Name] = meta;
        return new IndexCurrentFiler(index, all, invalidIsOurs);
    }

    public static IndexCurrentFiler PerName(FolderIndex index, bool invalidIsOurs) => new(index, null, invalidIsOurs);

    public IEnumerable<LocalFileMeta> Loaded => _all?.Values ?? Enumerable.Empty<LocalFileMeta>();

    public bool TryGet(string name, out CurrentFile current)
    {
        if (_all is not null)
        {
            if (_all.TryGetValue(name, out var m))
            {
                // In an observe folder every entry is invalid by design; that is not "ignored".
                current = new CurrentFile(m.Type, m.Size, m.ModifiedS, m.ModifiedNs, m.Permissions, m.Inode, m.Deleted,
                    m.Invalid && !_invalidIsOurs, m.SymlinkTarget, m.BlockSize);
                return true;
            }
            current = default;
            return false;
        }
        var f = _index.GetLocal(name);
        if (f is null)
        {
            current = default;
            return false;
        }
        current = new CurrentFile(f.Type, f.Size, f.ModifiedS, f.ModifiedNs, f.Permissions, _index.GetInode(name), f.Deleted,
            f.Invalid && !_invalidIsOurs, f.SymlinkTarget, f.BlockSize);
        return true;
    }
}
