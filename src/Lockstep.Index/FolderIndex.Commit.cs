using Lockstep.Index.Queries;
using Lockstep.Index.Storage;
using Lockstep.Protocol.Messages;
using Microsoft.Data.Sqlite;

namespace Lockstep.Index;

// Writes of our own files: new versions with their sequences, and inode bookkeeping.
public sealed partial class FolderIndex
{
    /// <summary>
    /// Records local changes in one transaction. Each change, in input order, gets the next sequence and
    /// replaces the entry of its name (a later change to the same name in the batch wins; both consume a
    /// sequence); the block lookup follows each entry's new block list. Returns the stored FileInfos, which
    /// carry their sequences. An empty list changes nothing. Throws <see cref="IndexError.FolderDropped"/>
    /// when the folder was dropped.
    /// </summary>
    public IReadOnlyList<FileInfo> CommitLocal(IReadOnlyList<LocalFile> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
            return [];
        foreach (var change in changes)
        {
            if (change?.Info is null || string.IsNullOrEmpty(change.Info.Name))
                throw new ArgumentException("every change needs a FileInfo with a non-empty name", nameof(changes));
        }
        return _store.Write(scope =>
        {
            var (_, sequence) = RequireFolder(scope);
            var upsert = scope.Command(LocalQueries.Upsert);
            var insertBlock = scope.Command(LocalQueries.InsertBlock);
            var stored = new FileInfo[changes.Count];
            for (int i = 0; i < changes.Count; i++)
            {
                var file = changes[i].Info with { Sequence = ++sequence };
                FileColumns.Bind(upsert, file);
                upsert.Set("$folder", _folderIdx).SetUInt64("$inode", changes[i].Inode);
                // The upsert's trigger (40-blocks.sql) has dropped the row's old lookups; add the new list's.
                long fileId = (long)upsert.ExecuteScalar()!;
                if (HasBlockLookup(file))
                    InsertBlocks(insertBlock, fileId, file);
                stored[i] = file;
            }
            scope.Command(FolderQueries.SetMaxSequence).Set("$folder", _folderIdx).Set("$max_sequence", sequence).ExecuteNonQuery();
            return stored;
        });
    }

    /// <summary>
    /// Records the inode of an indexed entry without creating a new version (no new sequence, nothing to
    /// announce). A name the index does not hold is ignored.
    /// </summary>
    public void UpdateInode(string name, ulong inode)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _store.Write(scope =>
        {
            RequireFolder(scope);
            scope.Command(LocalQueries.UpdateInode).Set("$folder", _folderIdx).Set("$name", name).SetUInt64("$inode", inode).ExecuteNonQuery();
        });
    }

    /// <summary>Only live regular files offer blocks for reuse; a tombstone, directory or symlink has none to offer.</summary>
    private static bool HasBlockLookup(FileInfo file) => file.Type == FileInfoType.File && !file.Deleted;

    private static void InsertBlocks(SqliteCommand insert, long fileId, FileInfo file)
    {
        insert.Set("$file", fileId);
        foreach (var block in file.Blocks)
            insert.Set("$hash", block.Hash).Set("$offset", block.Offset).Set("$size", (long)block.Size).ExecuteNonQuery();
    }
}
