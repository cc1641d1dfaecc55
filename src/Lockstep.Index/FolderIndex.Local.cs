using Lockstep.Index.Queries;
using Lockstep.Index.Storage;
using Lockstep.Protocol.Messages;
using Microsoft.Data.Sqlite;

namespace Lockstep.Index;

// Reads of our own files and the block lookup.
public sealed partial class FolderIndex
{
    /// <summary>Our entry for a name (a tombstone included), or null when the index has none.</summary>
    public FileInfo? GetLocal(string name) =>
        _store.QueryFirst(LocalQueries.Get, c => c.Set("$folder", _folderIdx).Set("$name", name), ReadFile, null);

    /// <summary>The inode last recorded for a name; 0 when unknown or when the name is not indexed.</summary>
    public ulong GetInode(string name) =>
        _store.QueryFirst(LocalQueries.Inode, c => c.Set("$folder", _folderIdx).Set("$name", name), r => r.GetUInt64(0), 0UL);

    /// <summary>Every entry's metadata, tombstones included, ordered by name. Streams: memory stays flat however large the folder.</summary>
    public IEnumerable<LocalFileMeta> EnumerateLocalMeta() => _store.Query(LocalQueries.Meta, BindFolder, ReadMeta);

    /// <summary>
    /// Our entry's metadata for a name (a tombstone included), or null: what a scan of a few paths compares each
    /// one with, in one lookup that decodes no version or block list.
    /// </summary>
    public LocalFileMeta? GetLocalMeta(string name) =>
        _store.QueryFirst(LocalQueries.MetaOf, c => c.Set("$folder", _folderIdx).Set("$name", name), ReadMeta, null);

    private static LocalFileMeta ReadMeta(SqliteDataReader r) => new(
        Name: r.GetString(0),
        Type: (FileInfoType)r.GetInt32(1),
        Size: r.GetInt64(2),
        ModifiedS: r.GetInt64(3),
        ModifiedNs: r.GetInt32(4),
        Permissions: (uint)r.GetInt64(5),
        NoPermissions: r.GetInt64(6) != 0,
        Deleted: r.GetInt64(7) != 0,
        Invalid: r.GetInt64(8) != 0,
        Inode: r.GetUInt64(9),
        SymlinkTarget: r.GetString(10),
        Sequence: r.GetInt64(11),
        BlockSize: r.GetInt32(12));

    /// <summary>
    /// Entries ordered by name, streaming. With a <paramref name="prefix"/> (a directory's name, trailing '/'
    /// optional): that entry and everything below it, so "a" yields "a" and "a/x" but not "ab" or "a.txt".
    /// Null or empty means the whole folder.
    /// </summary>
    public IEnumerable<FileInfo> EnumerateLocal(string? prefix = null)
    {
        prefix = prefix?.TrimEnd('/');
        if (string.IsNullOrEmpty(prefix))
            return _store.Query(LocalQueries.All, BindFolder, ReadFile);
        return _store.Query(LocalQueries.Subtree,
            c => c.Set("$folder", _folderIdx).Set("$prefix", prefix).Set("$below", prefix + "/").Set("$upper", prefix + "0"),
            ReadFile);
    }

    /// <summary>
    /// Every entry's header (name, type, size, mtime, flags and version; no blocks, permissions or link target),
    /// ordered by name: what a walk of the global state reads, at about half the cost of whole entries.
    /// </summary>
    public IEnumerable<FileInfo> EnumerateLocalHeaders() =>
        _store.Query(LocalQueries.AllHeaders, BindFolder, r => FileColumns.ReadHeader(r, _store.Path));

    /// <summary>Entries with a sequence above <paramref name="sequence"/>, ascending: what a peer that has seen up to it still needs.</summary>
    public IEnumerable<FileInfo> LocalSince(long sequence) =>
        _store.Query(LocalQueries.Since, c => c.Set("$folder", _folderIdx).Set("$sequence", sequence), ReadFile);

    /// <summary>
    /// Every place in this folder's regular, non-deleted files where a block with this SHA-256 sits, ordered by
    /// name and offset. A hint: the copier must verify the bytes it reads.
    /// </summary>
    public IReadOnlyList<BlockLocation> FindBlock(ReadOnlySpan<byte> sha256)
    {
        var hash = sha256.ToArray();
        return _store.Query(LocalQueries.FindBlock, c => c.Set("$folder", _folderIdx).Set("$hash", hash),
            r => new BlockLocation(r.GetString(0), r.GetInt64(1), r.GetInt32(2))).ToList();
    }

    /// <summary>The folder's entries by kind (see <see cref="FolderCounts"/>). Reads every row of the folder.</summary>
    public FolderCounts LocalCounts() =>
        _store.QueryFirst(LocalQueries.Counts, BindFolder,
            r => new FolderCounts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)),
            new FolderCounts(0, 0, 0, 0, 0));

    private FileInfo ReadFile(SqliteDataReader reader) => FileColumns.Read(reader, _store.Path);
}
