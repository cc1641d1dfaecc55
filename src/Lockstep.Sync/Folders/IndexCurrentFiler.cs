using Lockstep.FileSystem.Scanning;
using Lockstep.Index;

namespace Lockstep.Sync.Folders;

/// <summary>
/// The index as the scanner sees it. A full scan loads every row's metadata once (a dictionary lookup per
/// file); a scan of some paths asks SQLite for each name's metadata instead of loading a large folder.
/// </summary>
internal sealed class IndexCurrentFiler : ICurrentFiler
{
    private readonly FolderIndex _index;
    private readonly Dictionary<string, Entry>? _all;
    private readonly bool _invalidIsOurs;

    /// <summary>A row of a full scan, and whether the walk asked for it (the scanner asks for every name it sees).</summary>
    private sealed class Entry(LocalFileMeta meta)
    {
        public LocalFileMeta Meta { get; } = meta;
        public bool Seen { get; set; }
    }

    private IndexCurrentFiler(FolderIndex index, Dictionary<string, Entry>? all, bool invalidIsOurs)
    {
        _index = index;
        _all = all;
        _invalidIsOurs = invalidIsOurs;
    }

    public static IndexCurrentFiler Full(FolderIndex index, bool invalidIsOurs)
    {
        var all = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var meta in index.EnumerateLocalMeta())
            all[meta.Name] = new Entry(meta);
        return new IndexCurrentFiler(index, all, invalidIsOurs);
    }

    public static IndexCurrentFiler PerName(FolderIndex index, bool invalidIsOurs) => new(index, null, invalidIsOurs);

    /// <summary>Full scans: the indexed names the walk did not see (candidates for tombstones or invalid entries).</summary>
    public IEnumerable<LocalFileMeta> Unseen => _all?.Values.Where(e => !e.Seen).Select(e => e.Meta) ?? Enumerable.Empty<LocalFileMeta>();

    public bool TryGet(string name, out CurrentFile current)
    {
        LocalFileMeta? m;
        if (_all is not null)
        {
            if (!_all.TryGetValue(name, out var entry))
            {
                current = default;
                return false;
            }
            entry.Seen = true;
            m = entry.Meta;
        }
        else if ((m = _index.GetLocalMeta(name)) is null)
        {
            current = default;
            return false;
        }
        // In an observe folder every entry is invalid by design; that is not "ignored".
        current = new CurrentFile(m.Type, m.Size, m.ModifiedS, m.ModifiedNs, m.Permissions, m.Inode, m.Deleted,
            m.Invalid && !_invalidIsOurs, m.SymlinkTarget, m.BlockSize);
        return true;
    }
}
