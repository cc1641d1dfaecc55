using System.Collections.Immutable;
using Lockstep.FileSystem.Scanning;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;

namespace Lockstep.Sync.Folders;

/// <summary>
/// Pure decisions that turn what the scanner saw into index versions (STYLE rule 4). Every local change bumps
/// this device's counter as Syncthing does: max(old + 1, now in Unix seconds).
/// </summary>
public static class LocalVersioning
{
    /// <summary>
    /// The new version of <paramref name="seen"/>, or null when it is equivalent to <paramref name="existing"/>
    /// (only the inode moved, say). A default <see cref="ScannedItem.Blocks"/> means "content as indexed".
    /// </summary>
    /// <param name="flagsLocalChanges">Receive-only: an unchanged item stays as it is, valid or not; a changed one is invalid.</param>
    public static FileInfo? Record(FileInfo? existing, ScannedItem seen, ShortId me, ulong unixNow, bool ignorePermissions, bool announceInvalid,
        bool flagsLocalChanges = false)
    {
        var blocks = seen.Blocks;
        if (blocks.IsDefault)
        {
            if (existing is null || existing.Deleted || existing.Type != FileInfoType.File)
                throw new InvalidOperationException($"'{seen.Name}': content reused from an index entry that holds none");
            blocks = existing.Blocks;
        }
        var candidate = new FileInfo
        {
            Name = seen.Name,
            Type = seen.Type,
            Size = seen.Type == FileInfoType.File ? seen.Size : 0,
            Permissions = seen.Type == FileInfoType.Symlink ? 0 : seen.Permissions,
            NoPermissions = seen.Type == FileInfoType.Symlink,
            ModifiedS = seen.ModifiedS,
            ModifiedNs = seen.ModifiedNs,
            BlockSize = seen.Type == FileInfoType.File ? seen.BlockSize : 0,
            Blocks = seen.Type == FileInfoType.File ? blocks : ImmutableArray<BlockInfo>.Empty,
            SymlinkTarget = seen.SymlinkTarget,
            Invalid = announceInvalid,
            ModifiedBy = me,
        };
        if (existing is not null && !existing.Deleted && (existing.Invalid == announceInvalid || flagsLocalChanges))
        {
            bool same = candidate.SameContentAs(existing, comparePermissions: !ignorePermissions);
            // A directory's mtime moves whenever its entries change; like Syncthing, that alone is no change.
            if (!same && existing.IsDirectory && candidate.IsDirectory)
                same = ignorePermissions || existing.Permissions == candidate.Permissions;
            if (same)
                return null;
        }
        if (ignorePermissions && existing is not null && !existing.Deleted)
            candidate = candidate with { Permissions = existing.Permissions, NoPermissions = existing.NoPermissions };
        return candidate with { Version = (existing?.Version ?? VersionVector.Empty).Update(me, unixNow) };
    }

    /// <summary>The tombstone that records the deletion of <paramref name="existing"/> by this device.</summary>
    public static FileInfo Tombstone(FileInfo existing, ShortId me, ulong unixNow, bool announceInvalid) => existing with
    {
        Deleted = true,
        Size = 0,
        BlockSize = 0,
        Blocks = ImmutableArray<BlockInfo>.Empty,
        SymlinkTarget = "",
        ModifiedS = (long)unixNow,
        ModifiedNs = 0,
        ModifiedBy = me,
        Invalid = announceInvalid,
        Sequence = 0,
        Version = existing.Version.Update(me, unixNow),
    };

    /// <summary>An indexed item that has become ignored: announced as invalid, so no peer pulls it from us.</summary>
    public static FileInfo MarkIgnored(FileInfo existing, ShortId me, ulong unixNow) => existing with
    {
        Invalid = true,
        ModifiedBy = me,
        Sequence = 0,
        Version = existing.Version.Update(me, unixNow),
    };
}
