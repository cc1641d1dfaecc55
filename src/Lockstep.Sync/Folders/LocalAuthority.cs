using System.Collections.Immutable;
using Lockstep.FileSystem.Ignore;
using Lockstep.Index;
using Lockstep.Protocol.Messages;
using Lockstep.Sync.Global;

namespace Lockstep.Sync.Folders;

/// <summary>
/// A person's word over the cluster's: <see cref="Override"/> (send-only folders) publishes this device's state
/// as the newest version of every item where the global one differs; <see cref="Revert"/> (receive-only folders)
/// drops this device's local changes so the pull restores the global state. Pure over the index; the runner
/// commits the result and touches the disk.
/// </summary>
public static class LocalAuthority
{
    /// <summary>The versions that make our state global: ours re-stamped to dominate, or tombstones for what we lack.</summary>
    public static IReadOnlyList<LocalFile> Override(FolderIndex index, FolderSettings settings, ulong unixNow)
    {
        var changes = new List<LocalFile>();
        foreach (var entry in GlobalView.Enumerate(index, settings.Peers))
        {
            if (entry.LocalIsGlobal || entry.Global.Invalid)
                continue;
            var global = entry.Global;
            var local = entry.Local;
            if (local is null || local.Invalid)
            {
                if (global.Deleted)
                    continue;
                // Something the peers added that we never had: our state says it does not exist.
                changes.Add(new LocalFile(new FileInfo
                {
                    Name = entry.Name, Type = global.Type, Deleted = true, Permissions = global.Permissions, NoPermissions = global.NoPermissions,
                    ModifiedS = (long)unixNow, ModifiedBy = settings.LocalDevice, Version = global.Version.Merge(local?.Version ?? VersionVector.Empty).Update(settings.LocalDevice, unixNow),
                }, 0));
                continue;
            }
            changes.Add(new LocalFile(local with
            {
                Sequence = 0,
                ModifiedBy = settings.LocalDevice,
                Version = local.Version.Merge(global.Version).Update(settings.LocalDevice, unixNow),
            }, index.GetInode(entry.Name)));
        }
        return changes;
    }

    /// <summary>
    /// Our local changes undone in the index: a changed or deleted item forgets its version (so the global one is
    /// pulled over it); an item only we have is to be deleted (<paramref name="deletes"/>) and recorded as gone.
    /// </summary>
    public static IReadOnlyList<LocalFile> Revert(FolderIndex index, FolderSettings settings, IgnoreMatcher ignores, out IReadOnlyList<string> deletes)
    {
        var changes = new List<LocalFile>();
        var gone = new List<string>();
        foreach (var entry in GlobalView.Enumerate(index, settings.Peers))
        {
            if (entry.Local is not { Invalid: true } local || (ignores.Match(entry.Name) & IgnoreResult.Ignored) != 0)
                continue;
            if (!entry.Global.Invalid)
            {
                changes.Add(new LocalFile(local with { Sequence = 0, Version = VersionVector.Empty }, index.GetInode(entry.Name)));
                continue;
            }
            if (local.Deleted)
                continue;
            gone.Add(entry.Name);
            changes.Add(new LocalFile(local with
            {
                Sequence = 0, Deleted = true, Size = 0, BlockSize = 0, Blocks = ImmutableArray<BlockInfo>.Empty, SymlinkTarget = "",
                Version = VersionVector.Empty,
            }, 0));
        }
        deletes = gone;
        return changes;
    }
}
