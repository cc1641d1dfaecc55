using Lockstep.FileSystem.Ignore;
using Lockstep.FileSystem.Names;
using Lockstep.FileSystem.Native;
using Lockstep.Protocol.Identity;
using Lockstep.Sync.Global;

namespace Lockstep.Sync.Pulling;

// Deletions and conflict copies: everything a pull removes or moves aside.
public sealed partial class Puller
{
    private string? DeleteFile(GlobalEntry entry, Pass pass)
    {
        var full = Full(entry.Name);
        if (!DiskGuard.ParentsAreDirectories(Root, entry.Name))
        {
            // A missing parent: nothing is there to delete. A symlink or file above it: never delete through it.
            if (!NativeFile.IsAbsent(full))
                return $"'{entry.Name}' lies below a symlink or a file; nothing is deleted through one";
            pass.Applied(entry.Global, full);
            return null;
        }
        if (CheckReplaceable(entry, pass) is { } changed)
            return changed;
        if (NativeFile.TryLstat(full, out var stat, out _) && !(stat.IsRegular && _versioner.Archive(entry.Name)))
            File.Delete(full);
        pass.Applied(entry.Global, full);
        return null;
    }

    /// <summary>
    /// A directory goes only when nothing unsynced or unknown is left in it: what remains may be temp files and
    /// items ignored with <c>(?d)</c>, which are removed with it; anything else keeps it, and the pull says what.
    /// </summary>
    private string? DeleteDirectory(GlobalEntry entry, IgnoreMatcher ignores, Pass pass)
    {
        var full = Full(entry.Name);
        if (!DiskGuard.ParentsAreDirectories(Root, entry.Name) || NativeFile.IsAbsent(full))
        {
            pass.Applied(entry.Global, full);
            return null;
        }
        if (CheckReplaceable(entry, pass) is { } changed)
            return changed;
        foreach (var child in Directory.EnumerateFileSystemEntries(full))
        {
            var name = entry.Name + "/" + Path.GetFileName(child);
            bool deletable = InternalNames.IsTemporary(name) || (ignores.Match(name) & IgnoreResult.Deletable) != 0;
            if (!deletable)
                return $"directory '{entry.Name}' is not empty: '{name}' is in it and not deleted on the other devices; it stays until that is gone";
        }
        foreach (var child in Directory.EnumerateFileSystemEntries(full).ToList())
        {
            if (NativeFile.TryLstat(child, out var stat, out _) && stat.IsDirectory)
                Directory.Delete(child, recursive: true);
            else
                File.Delete(child);
        }
        Directory.Delete(full, recursive: false);
        pass.Applied(entry.Global, full);
        return null;
    }

    /// <summary>
    /// Moves our losing copy of <paramref name="name"/> aside as Syncthing names it (bep-v1.md §5.5), then prunes the
    /// oldest copies beyond maxConflicts. A loser that is itself a conflict copy, or maxConflicts 0, is deleted.
    /// </summary>
    private void KeepConflictCopy(string name, ShortId winner, Pass pass)
    {
        var full = Full(name);
        if (ConflictNames.IsConflictCopy(name) || _settings.MaxConflicts == 0)
        {
            File.Delete(full);
            return;
        }
        var copy = ConflictNames.For(name, _clock.GetLocalNow().DateTime, winner);
        File.Move(full, Full(copy), overwrite: false);
        pass.Rescan(copy);
        Folders.Conflicts.Prune(Root, name, _settings.MaxConflicts);
    }
}
