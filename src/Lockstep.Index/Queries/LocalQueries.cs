using Lockstep.Index.Storage;

namespace Lockstep.Index.Queries;

/// <summary>Statements on local_files and local_blocks (30-files.sql, 40-blocks.sql).</summary>
internal static class LocalQueries
{
    /// <summary>
    /// Replaces the row by name, keeping its id; the DO UPDATE fires local_blocks_forget, which drops the old
    /// block lookups, and the returned id is where the new ones go.
    /// </summary>
    public const string Upsert =
        "INSERT INTO local_files (folder_idx, inode, " + FileColumns.Select + ") " +
        "VALUES ($folder, $inode, " + FileColumns.Parameters + ") " +
        "ON CONFLICT (folder_idx, name) DO UPDATE SET inode = excluded.inode, " + FileColumns.UpdateFromExcluded + " " +
        "RETURNING id";

    /// <summary>OR IGNORE: a list naming the same block twice at one offset yields one lookup row.</summary>
    public const string InsertBlock =
        "INSERT OR IGNORE INTO local_blocks (hash, file_id, block_offset, size) VALUES ($hash, $file, $offset, $size)";

    public const string UpdateInode = "UPDATE local_files SET inode = $inode WHERE folder_idx = $folder AND name = $name";

    public const string Get = "SELECT " + FileColumns.Select + " FROM local_files WHERE folder_idx = $folder AND name = $name";

    public const string Inode = "SELECT inode FROM local_files WHERE folder_idx = $folder AND name = $name";

    public const string All = "SELECT " + FileColumns.Select + " FROM local_files WHERE folder_idx = $folder ORDER BY name";

    public const string AllHeaders = "SELECT " + FileColumns.SelectHeader + " FROM local_files WHERE folder_idx = $folder ORDER BY name";

    /// <summary>
    /// A directory and its subtree: the range [$prefix, $prefix + '0') holds exactly $prefix and the names
    /// starting with $prefix + '/' once the names in between ("a-b", "a.txt": bytes below '0' other than
    /// '/') are filtered out, because BINARY compares bytes and '0' follows '/'. A range the name index
    /// serves, where LIKE would be case-blind and treat '%' and '_' in names as wildcards.
    /// </summary>
    public const string Subtree =
        "SELECT " + FileColumns.Select + " FROM local_files " +
        "WHERE folder_idx = $folder AND name >= $prefix AND name < $upper AND (name = $prefix OR name >= $below) " +
        "ORDER BY name";

    public const string Since =
        "SELECT " + FileColumns.Select + " FROM local_files WHERE folder_idx = $folder AND sequence > $sequence ORDER BY sequence";

    private const string MetaColumns =
        "name, type, size, modified_s, modified_ns, permissions, no_permissions, deleted, invalid, inode, " +
        "symlink_target, sequence, block_size";

    public const string Meta = "SELECT " + MetaColumns + " FROM local_files WHERE folder_idx = $folder ORDER BY name";

    public const string MetaOf = "SELECT " + MetaColumns + " FROM local_files WHERE folder_idx = $folder AND name = $name";

    /// <summary>
    /// CROSS JOIN fixes the join order (SQLite never reorders it): probe the hash first, then fetch each hit's
    /// file. Left to itself, without ANALYZE statistics, the planner may walk every file of the folder instead.
    /// </summary>
    public const string FindBlock =
        "SELECT f.name, b.block_offset, b.size FROM local_blocks b CROSS JOIN local_files f ON f.id = b.file_id " +
        "WHERE b.hash = $hash AND f.folder_idx = $folder ORDER BY f.name, b.block_offset";

    /// <summary>Types: 0 file, 1 directory, 2–4 the symlink kinds (FileInfoType's wire values).</summary>
    public const string Counts =
        "SELECT " +
        "coalesce(sum(deleted = 0 AND type = 0), 0), " +
        "coalesce(sum(deleted = 0 AND type = 1), 0), " +
        "coalesce(sum(deleted = 0 AND type IN (2, 3, 4)), 0), " +
        "coalesce(sum(deleted = 1), 0), " +
        "coalesce(sum(CASE WHEN deleted = 0 AND type = 0 THEN size ELSE 0 END), 0) " +
        "FROM local_files WHERE folder_idx = $folder";
}
