using System.Collections.Immutable;
using Lockstep.FileSystem.Ignore;
using Lockstep.FileSystem.Names;
using Lockstep.FileSystem.Native;
using Lockstep.Protocol.Blocks;
using Lockstep.Protocol.Messages;

namespace Lockstep.FileSystem.Scanning;

public sealed partial class FolderScanner
{
    private sealed class WalkState(ICurrentFiler current, ScanResult result)
    {
        public ICurrentFiler Current { get; } = current;
        public ScanResult Result { get; } = result;
        public List<ScannedItem> Changed { get; } = new();
        public List<HashJob> ToHash { get; } = new();
        public long Walked { get; set; }

        /// <summary>
        /// A path scan's parents already looked at, and whether the paths below them go on: the watcher hands over
        /// hundreds of names from the same few directories, and each parent is checked and recorded once.
        /// </summary>
        public Dictionary<string, bool> Parents { get; } = new(StringComparer.Ordinal);
    }

    private void WalkSubPath(string sub, WalkState walk, CancellationToken cancellationToken)
    {
        if (sub.Length == 0)
        {
            WalkDirectory("", _root, walk, cancellationToken);
            return;
        }
        // Parents first: a change deep in a new directory must bring its directories into the index too.
        var parts = sub.Split('/');
        for (int i = 1; i < parts.Length; i++)
        {
            var parent = string.Join('/', parts, 0, i);
            if (!walk.Parents.TryGetValue(parent, out bool goOn))
            {
                var parentPath = Path.Combine(_root, parent);
                // Gone or not a directory: nothing below it exists. Excluded: nothing below it is recorded.
                goOn = StatX.TryLstat(parentPath, out var ps, out _) && ps.IsDirectory && !IsExcluded(parent, walk, isDirectory: true);
                walk.Parents[parent] = goOn;
                if (goOn)
                    Visit(parent, parentPath, ps, walk, cancellationToken, recurse: false);
            }
            if (!goOn)
                return;
        }
        var path = Path.Combine(_root, sub);
        if (!StatX.TryLstat(path, out var st, out var errno))
        {
            if (errno is not (StatX.ENOENT or StatX.ENOTDIR))
                Problem(walk.Result, sub, ScanProblemKind.Unreadable, $"cannot stat '{path}': errno {errno}");
            return;
        }
        if (IsExcluded(sub, walk, st.IsDirectory))
            return;
        Visit(sub, path, st, walk, cancellationToken, recurse: true);
    }

    private void WalkDirectory(string dirName, string dirPath, WalkState walk, CancellationToken cancellationToken)
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(dirPath).ToList();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Nothing below an unreadable directory may be taken as deleted.
            Problem(walk.Result, dirName, ScanProblemKind.Unreadable, $"cannot list '{dirPath}': {e.Message}; its contents keep their index entries");
            return;
        }
        var siblings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entryPath in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var diskBase = Path.GetFileName(entryPath);
            var diskName = dirName.Length == 0 ? diskBase : dirName + "/" + diskBase;
            if (NameRules.LooksUndecodable(diskBase))
            {
                Problem(walk.Result, diskName, ScanProblemKind.InvalidName,
                    $"'{Path.Combine(dirPath, diskBase)}': the name is not valid UTF-8 and cannot be synced; rename it");
                continue;
            }
            var baseName = NameRules.ToNfc(diskBase);
            var name = dirName.Length == 0 ? baseName : dirName + "/" + baseName;
            if (!siblings.Add(baseName))
            {
                Problem(walk.Result, name, ScanProblemKind.NormalizationClash,
                    $"'{entryPath}' has the same NFC name as another entry in '{dirPath}'; only one is indexed");
                continue;
            }
            if (!StatX.TryLstat(entryPath, out var st, out var errno))
            {
                if (errno is StatX.ENOENT)
                    continue; // vanished between listing and stat: as if never seen
                Problem(walk.Result, name, ScanProblemKind.Unreadable, $"cannot stat '{entryPath}': errno {errno}");
                continue;
            }
            if (IsExcluded(name, walk, st.IsDirectory))
                continue;
            Visit(name, entryPath, st, walk, cancellationToken, recurse: true);
        }
    }

    /// <summary>Internal, temporary and ignored names; descends into ignored directories only if a negation could re-include something.</summary>
    private bool IsExcluded(string name, WalkState walk, bool isDirectory)
    {
        if (InternalNames.IsInternal(name) || InternalNames.IsTemporary(name))
            return true;
        if ((_ignores.Match(name) & IgnoreResult.Ignored) == 0)
            return false;
        if (isDirectory && !_ignores.CanSkipDirectory(name))
        {
            // Ignored itself, but something below may be un-ignored: walk it without recording it.
            WalkDirectory(name, Path.Combine(_root, name), walk, CancellationToken.None);
        }
        return true;
    }

    private void Visit(string name, string path, in FileStat st, WalkState walk, CancellationToken cancellationToken, bool recurse)
    {
        walk.Walked++;
        if (_options.RecordSeen)
            walk.Result.Seen.Add(name);
        bool known = walk.Current.TryGet(name, out var cur) && !cur.Deleted && !cur.Invalid;
        bool permsDiffer = !_options.IgnorePermissions && known && cur.Permissions != st.Permissions;
        if (st.IsDirectory)
        {
            if (!known || cur.Type != FileInfoType.Directory || permsDiffer)
                walk.Changed.Add(new ScannedItem(name, FileInfoType.Directory, 0, st.ModifiedS, st.ModifiedNs, st.Permissions, st.Inode, "", 0, ImmutableArray<BlockInfo>.Empty));
            if (recurse)
                WalkDirectory(name, path, walk, cancellationToken);
        }
        else if (st.IsSymlink)
        {
            string target;
            try
            {
                target = new System.IO.FileInfo(path).LinkTarget ?? "";
            }
            catch (IOException e)
            {
                Problem(walk.Result, name, ScanProblemKind.Unreadable, $"cannot read the symlink '{path}': {e.Message}");
                return;
            }
            if (!known || !cur.Type.IsSymlinkType() || cur.SymlinkTarget != target)
                walk.Changed.Add(new ScannedItem(name, FileInfoType.Symlink, 0, 0, 0, 0, st.Inode, target, 0, ImmutableArray<BlockInfo>.Empty));
        }
        else if (st.IsRegular)
        {
            bool sameContent = known && cur.Type == FileInfoType.File && cur.Size == st.Size &&
                               cur.ModifiedS == st.ModifiedS && cur.ModifiedNs == st.ModifiedNs &&
                               (cur.Inode == 0 || cur.Inode == st.Inode);
            if (sameContent && _options.ForceRehash?.Contains(name) != true)
            {
                if (permsDiffer || cur.Inode == 0)
                    // Metadata only: default Blocks tells the runner to keep the indexed blocks.
                    walk.Changed.Add(new ScannedItem(name, FileInfoType.File, st.Size, st.ModifiedS, st.ModifiedNs, st.Permissions, st.Inode, "", cur.BlockSize, default));
                return;
            }
            int blockSize = known && cur.Type == FileInfoType.File ? BlockSizes.ForRescan(st.Size, cur.BlockSize) : BlockSizes.For(st.Size);
            walk.ToHash.Add(new HashJob(name, path, st, blockSize));
        }
        // Sockets, FIFOs and devices are not synced (as in Syncthing); they are simply not recorded.
    }
}
