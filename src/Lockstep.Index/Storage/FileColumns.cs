using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using Microsoft.Data.Sqlite;

namespace Lockstep.Index.Storage;

/// <summary>
/// The FileInfo columns local_files and remote_files share, their parameters, and the mapping both ways.
/// <see cref="Select"/> lists them in the ordinal order <see cref="Read"/> expects: the header's columns first
/// (<see cref="SelectHeader"/>), then the rest, the block list last.
/// </summary>
internal static class FileColumns
{
    /// <summary>
    /// A header: what deciding a name's global version and who needs it reads (name, type, size, mtime, flags,
    /// version), without the block list, permissions or link target. Half the columns and no block list to decode.
    /// </summary>
    public const string SelectHeader = "name, type, size, modified_s, modified_ns, deleted, invalid, version";

    public const string Select =
        SelectHeader + ", permissions, no_permissions, sequence, modified_by, block_size, symlink_target, blocks";

    public const string Parameters =
        "$name, $type, $size, $modified_s, $modified_ns, $deleted, $invalid, $version, " +
        "$permissions, $no_permissions, $sequence, $modified_by, $block_size, $symlink_target, $blocks";

    /// <summary>The upsert's SET list: every column but the name it conflicted on.</summary>
    public const string UpdateFromExcluded =
        "type = excluded.type, size = excluded.size, permissions = excluded.permissions, " +
        "modified_s = excluded.modified_s, modified_ns = excluded.modified_ns, deleted = excluded.deleted, " +
        "invalid = excluded.invalid, no_permissions = excluded.no_permissions, sequence = excluded.sequence, " +
        "modified_by = excluded.modified_by, block_size = excluded.block_size, " +
        "symlink_target = excluded.symlink_target, version = excluded.version, blocks = excluded.blocks";

    public static void Bind(SqliteCommand command, FileInfo file)
    {
        command.Set("$name", file.Name)
            .Set("$type", (long)file.Type)
            .Set("$size", file.Size)
            .Set("$permissions", (long)file.Permissions)
            .Set("$modified_s", file.ModifiedS)
            .Set("$modified_ns", (long)file.ModifiedNs)
            .Set("$deleted", file.Deleted ? 1L : 0L)
            .Set("$invalid", file.Invalid ? 1L : 0L)
            .Set("$no_permissions", file.NoPermissions ? 1L : 0L)
            .Set("$sequence", file.Sequence)
            .SetUInt64("$modified_by", file.ModifiedBy.Value)
            .Set("$block_size", (long)file.BlockSize)
            .Set("$symlink_target", file.SymlinkTarget)
            .Set("$version", VersionCodec.Encode(file.Version))
            .Set("$blocks", BlockListCodec.Encode(file.Blocks));
    }

    /// <summary>Reads a row selected with <see cref="Select"/> at ordinal 0.</summary>
    public static FileInfo Read(SqliteDataReader r, string databasePath) => Read(r, databasePath, headerOnly: false);

    /// <summary>A row of <see cref="SelectHeader"/>: the other fields keep their defaults (no blocks, no permissions).</summary>
    public static FileInfo ReadHeader(SqliteDataReader r, string databasePath) => Read(r, databasePath, headerOnly: true);

    private static FileInfo Read(SqliteDataReader r, string databasePath, bool headerOnly)
    {
        var name = r.GetString(0);
        try
        {
            return new FileInfo
            {
                Name = name,
                Type = (FileInfoType)r.GetInt32(1),
                Size = r.GetInt64(2),
                ModifiedS = r.GetInt64(3),
                ModifiedNs = r.GetInt32(4),
                Deleted = r.GetInt64(5) != 0,
                Invalid = r.GetInt64(6) != 0,
                Version = VersionCodec.Decode(r.GetBlob(7)),
                Permissions = headerOnly ? 0 : (uint)r.GetInt64(8),
                NoPermissions = !headerOnly && r.GetInt64(9) != 0,
                Sequence = headerOnly ? 0 : r.GetInt64(10),
                ModifiedBy = headerOnly ? default : new ShortId(r.GetUInt64(11)),
                BlockSize = headerOnly ? 0 : r.GetInt32(12),
                SymlinkTarget = headerOnly ? "" : r.GetString(13),
                Blocks = headerOnly ? [] : BlockListCodec.Decode(r.GetBlob(14)),
            };
        }
        catch (InvalidDataException ex)
        {
            throw IndexErrors.CorruptData(databasePath, $"entry '{name}'", ex.Message);
        }
    }
}
