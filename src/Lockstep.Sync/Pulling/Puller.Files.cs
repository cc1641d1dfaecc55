using System.Security.Cryptography;
using Lockstep.FileSystem;
using Lockstep.FileSystem.Names;
using Lockstep.FileSystem.Native;
using Lockstep.Protocol.Blocks;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using Lockstep.Sync.Global;
using Microsoft.Win32.SafeHandles;

namespace Lockstep.Sync.Pulling;

// Files, directories and symlinks: everything a pull creates or replaces.
public sealed partial class Puller
{
    private const uint DefaultFileMode = 0x1A4; // 0644, for new files when the folder ignores permissions
    private const uint DefaultDirectoryMode = 0x1ED; // 0755

    /// <summary>Files from this size on are written around the page cache (<see cref="DirectFile"/>); smaller ones are not worth the extra open.</summary>
    internal const long DirectWriteMinBytes = 4 << 20;

    private string Full(string name) => Path.Join(Root, name);

    /// <summary>
    /// Null when the local item may be replaced; otherwise it changed behind the index (queued for a rescan) and the
    /// item waits for the next pass, where the version rules decide between the two.
    /// </summary>
    private string? CheckReplaceable(GlobalEntry entry, Pass pass) => CheckReplaceable(entry, pass, out _);

    /// <param name="seen">What the disk holds at the path, as looked at (default when nothing is there).</param>
    private string? CheckReplaceable(GlobalEntry entry, Pass pass, out FileStat seen)
    {
        var full = Full(entry.Name);
        if (DiskGuard.Matches(full, entry.Local, entry.Local is null ? 0 : _index.GetInode(entry.Name), _settings.IgnorePermissions, out seen))
            return null;
        pass.Rescan(entry.Name);
        return $"'{entry.Name}' changed locally since it was last scanned; it is scanned again before the peers' version is applied";
    }

    private string? PullDirectory(GlobalEntry entry, Pass pass)
    {
        var g = entry.Global;
        if (DiskGuard.PrepareParents(Root, entry.Name) is { } parentProblem)
            return parentProblem;
        var full = Full(entry.Name);
        bool exists = NativeFile.TryLstat(full, out var stat, out _);
        if (!exists || !stat.IsDirectory)
        {
            if (CheckReplaceable(entry, pass) is { } changed)
                return changed;
            if (exists)
                File.Delete(full); // the file or symlink our index holds, replaced by a directory
            Directory.CreateDirectory(full);
        }
        if (!_settings.IgnorePermissions && !g.NoPermissions)
            File.SetUnixFileMode(full, (UnixFileMode)(g.Permissions & 0x1FF));
        else if (!exists)
            File.SetUnixFileMode(full, (UnixFileMode)DefaultDirectoryMode);
        pass.Applied(g, full);
        return null;
    }

    private string? PullSymlink(GlobalEntry entry, Pass pass)
    {
        var g = entry.Global;
        if (DiskGuard.PrepareParents(Root, entry.Name) is { } parentProblem)
            return parentProblem;
        if (CheckReplaceable(entry, pass) is { } changed)
            return changed;
        var full = Full(entry.Name);
        if (NativeFile.TryLstat(full, out var stat, out _) && stat.IsDirectory)
            Directory.Delete(full, recursive: false); // an empty directory our index holds; a full one throws
        var temp = Full(InternalNames.TempNameFor(entry.Name));
        DeleteIfPresent(temp);
        File.CreateSymbolicLink(temp, g.SymlinkTarget);
        _ownWrites?.Record(entry.Name, temp);
        File.Move(temp, full, overwrite: true);
        pass.Applied(g, full);
        return null;
    }

    /// <summary>
    /// A regular file: its blocks assembled in the temp file beside it (reusing what a former attempt left there,
    /// then local copies, then peers), each checked against its SHA-256; then fsync, permissions, mtime, and an
    /// atomic rename over the target. The index records it only after that.
    /// </summary>
    private async Task<string?> PullFileAsync(GlobalEntry entry, Pass pass, BlockGate gate, CancellationToken cancellationToken)
    {
        var g = entry.Global;
        if (DiskGuard.PrepareParents(Root, entry.Name) is { } parentProblem)
            return parentProblem;
        if (CheckReplaceable(entry, pass) is { } changed)
            return changed;
        var full = Full(entry.Name);
        var temp = Full(InternalNames.TempNameFor(entry.Name));
        if (NativeFile.TryLstat(temp, out var tempStat, out _) && !tempStat.IsRegular)
            DeleteIfPresent(temp);

        Assembled assembled;
        try
        {
            assembled = await AssembleAsync(entry, full, temp, gate, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (NativeFile.IsNoSpace(e))
        {
            assembled = new Assembled(NoRoom(0, -1), true, default);
        }
        if (assembled.Problem is not null)
        {
            // A file that cannot fit must not hold the disk against the rest of the pull: its temp file goes, so the
            // files that do fit still land, and it is fetched whole once there is room.
            if (assembled.DropTemp)
                DeleteIfPresent(temp);
            return assembled.Problem;
        }
        var finalStat = assembled.Stat;

        // The last look before the rename: a write since the check above is kept, not overwritten.
        if (CheckReplaceable(entry, pass, out var onDisk) is { } changedSince)
            return changedSince;
        if (entry.Local is { Deleted: false, IsFile: true } local && GlobalRules.InConflict(local, g, Me))
        {
            if (_settings.ConflictStrategy.KeepsLocal(local, g))
            {
                // Our bytes are the ones the folder prefers: the peers' version becomes the copy, and ours goes out
                // again as a version that dominates both, so every node converges to it.
                var copy = ConflictNames.For(entry.Name, _clock.GetLocalNow().DateTime, Me);
                File.Move(temp, Full(copy), overwrite: false);
                pass.Rescan(copy);
                var now = (ulong)_clock.GetUtcNow().ToUnixTimeSeconds();
                pass.Applied(new Lockstep.Index.LocalFile(local with
                {
                    Sequence = 0, ModifiedBy = Me, Version = local.Version.Merge(g.Version).Update(Me, now),
                }, _index.GetInode(entry.Name)), full);
                return null;
            }
            KeepConflictCopy(entry.Name, g.ModifiedBy, pass);
        }
        else if (onDisk.IsDirectory)
            Directory.Delete(full, recursive: false);
        else if (onDisk.IsRegular)
            _versioner.Archive(entry.Name); // the replaced bytes are kept when the folder versions files
        if (finalStat.Inode != 0)
            _ownWrites?.Record(entry.Name, finalStat); // before the rename, so its watcher echo always finds the entry
        NativeFile.Replace(temp, full);
        pass.Applied(g, full, finalStat.Inode);
        return null;
    }

    /// <summary>What assembling a file's temp file came to: a problem (and whether the temp file is dropped), or its final stat.</summary>
    private readonly record struct Assembled(string? Problem, bool DropTemp, FileStat Stat);

    /// <summary>
    /// The temp file filled with the file's blocks, checked against their hashes, with mode and mtime set and the
    /// bytes fsynced. A file the filesystem has no room for is refused before a byte is written.
    /// </summary>
    private async Task<Assembled> AssembleAsync(GlobalEntry entry, string full, string temp, BlockGate gate, CancellationToken cancellationToken)
    {
        var g = entry.Global;
        using (var handle = NativeFile.OpenOrCreateNoFollow(temp))
        {
            long existing = RandomAccess.GetLength(handle);
            var missing = new List<BlockInfo>();
            foreach (var block in g.Blocks)
            {
                if (block.Size == 0)
                    continue;
                if (block.Offset + block.Size <= existing && BlockAt(handle, block))
                {
                    _progress.Copied(block.Size); // kept from an earlier attempt: not fetched again
                    _progress.BytesDone(block.Size);
                    continue;
                }
                missing.Add(block);
            }
            long needed = 0;
            foreach (var block in missing)
                needed += block.Size;
            if (needed > 0 && NativeFile.TryFreeSpace(handle, out long free, out _) && free < needed)
                return new Assembled(NoRoom(needed, free), true, default);
            // A short temp file whose last block is about to be written reaches its length with that write; one
            // syscall less per small file. Large files are sized first (the O_DIRECT path writes aligned blocks).
            bool lastWriteSizes = existing < g.Size && g.Size < DirectWriteMinBytes && missing.Count > 0
                && missing[^1].Offset + missing[^1].Size == g.Size;
            if (existing != g.Size && !lastWriteSizes)
                RandomAccess.SetLength(handle, g.Size);
            using var direct = g.Size >= DirectWriteMinBytes && missing.Count > 0 ? DirectFile.TryOpen(temp) : null;

            var failures = new List<string>();
            async ValueTask GetBlock(BlockInfo block, CancellationToken ct)
            {
                string? problem = CopyLocal(handle, direct, entry.Name, block) ? null : await FetchAsync(handle, direct, entry, block, gate, ct).ConfigureAwait(false);
                if (problem is not null)
                {
                    lock (failures)
                        failures.Add(problem);
                }
                else
                {
                    _progress.BytesDone(block.Size);
                }
            }
            if (missing.Count == 1)
                await GetBlock(missing[0], cancellationToken).ConfigureAwait(false); // most files: no workers to start
            else if (missing.Count > 1)
                await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, GetBlock).ConfigureAwait(false);
            if (failures.Count > 0)
                return new Assembled($"{failures.Count} of {g.Blocks.Length} blocks could not be had ({failures[0]}); the verified ones stay in the temp file for the next attempt", false, default);

            // Mode and mtime through the handle (no path lookups), before the fsync, which then makes them durable
            // with the bytes: after a crash the renamed file never shows the temp file's mode or today's mtime.
            uint mode = !_settings.IgnorePermissions && !g.NoPermissions ? g.Permissions & 0x1FF
                : entry.Local is { Deleted: false, IsFile: true } ? (uint)File.GetUnixFileMode(full) & 0x1FF : DefaultFileMode;
            File.SetUnixFileMode(handle, (UnixFileMode)mode);
            NativeFile.SetModified(handle, temp, g.ModifiedS, g.ModifiedNs);
            NativeFile.TryFstat(handle, out var finalStat, out _); // as it will stand: syncing changes none of it
            await _durable.SyncAsync(handle, temp, finalStat.Device).ConfigureAwait(false); // fsync, grouped with files finishing meanwhile
            return new Assembled(null, false, finalStat);
        }

    }

    private static string NoRoom(long needed, long free) => needed > 0
        ? $"not enough free space: {ByteSizes.Format(needed)} more is needed and the folder's filesystem has {ByteSizes.Format(free)}; the file is pulled again when there is room"
        : "the folder's filesystem ran out of space while the file was written; the file is pulled again when there is room";

    private static bool BlockAt(SafeFileHandle handle, BlockInfo block)
    {
        using var data = BlockBuffer.Rent(block.Size);
        return RandomAccess.Read(handle, data.Span, block.Offset) == block.Size && HashMatches(data.Span, block.Hash);
    }

    /// <summary>
    /// The block from any local file our index says holds it (this file's old version, a renamed or copied file),
    /// checked against its hash since the disk may have moved on. Renames and copies move no bytes over the wire.
    /// </summary>
    private bool CopyLocal(SafeFileHandle target, DirectFile? direct, string name, BlockInfo block)
    {
        foreach (var location in _index.FindBlock(block.Hash))
        {
            if (location.Size != block.Size)
                continue;
            var source = Exchange.ContainedPath.File(Root, location.Name, out long length);
            if (source is null || location.Offset + location.Size > length)
                continue;
            using var data = BlockBuffer.Rent(block.Size);
            try
            {
                using var handle = NativeFile.OpenRead(source);
                if (RandomAccess.Read(handle, data.Span, location.Offset) != block.Size || !HashMatches(data.Span, block.Hash))
                    continue;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            WriteBlock(target, direct, data.Span, block.Offset);
            _progress.Copied(block.Size);
            return true;
        }
        return false;
    }

    /// <summary>The block from a peer that announces this exact version, spreading blocks across them; null on success.</summary>
    private async Task<string?> FetchAsync(SafeFileHandle target, DirectFile? direct, GlobalEntry entry, BlockInfo block, BlockGate gate, CancellationToken cancellationToken)
    {
        var candidates = entry.Availability.Where(_peers.IsConnected).ToList();
        if (candidates.Count == 0)
            return entry.Availability.Count == 0 ? "no device announces this version" : "none of the devices that have it is connected";
        int first = (int)(block.Offset / Math.Max(1, entry.Global.BlockSize) % candidates.Count);
        string? problem = null;
        using (await gate.EnterAsync(block.Size, cancellationToken).ConfigureAwait(false))
        {
            _progress.InFlight(block.Size);
            try
            {
                for (int i = 0; i < candidates.Count; i++)
                {
                    var device = candidates[(first + i) % candidates.Count];
                    var request = new Request
                    {
                        Folder = _settings.Id, Name = entry.Name, Offset = block.Offset, Size = block.Size, Hash = block.Hash,
                        // No weak hash (bep-v1.md §5.7): with one, Syncthing accepts bytes whose Adler-32 matches without
                        // checking SHA-256, so a file changed in place behind its index would be served stale forever.
                        WeakHash = 0, BlockNo = (int)(block.Offset / Math.Max(1, entry.Global.BlockSize)),
                    };
                    try
                    {
                        using var response = await _peers.RequestAsync(device, request, cancellationToken).ConfigureAwait(false);
                        if (response.Code != ErrorCode.NoError)
                            problem = $"{device.Short} answered {response.Code}";
                        else if (response.Data.Length != block.Size || !HashMatches(response.Data.Span, block.Hash))
                            problem = $"{device.Short} sent {response.Data.Length} bytes that do not match the block's SHA-256";
                        else
                        {
                            WriteBlock(target, direct, response.Data.Span, block.Offset);
                            _progress.Requested(block.Size);
                            return null;
                        }
                    }
                    catch (IOException e) when (!NativeFile.IsNoSpace(e)) // a full disk is the whole file's problem, not the peer's
                    {
                        problem = $"{device.Short}: {e.Message}";
                    }
                }
            }
            finally
            {
                _progress.InFlight(-block.Size);
            }
        }
        return $"block at offset {block.Offset}: {problem}";
    }

    /// <summary>
    /// A verified block into the temp file: around the page cache when the file is big enough and the range is
    /// aligned (see <see cref="DirectFile"/> for why), else through the normal descriptor.
    /// </summary>
    private static void WriteBlock(SafeFileHandle target, DirectFile? direct, ReadOnlySpan<byte> data, long offset)
    {
        if (direct is not null && direct.Fits(offset, data.Length) && direct.TryWrite(data, offset))
            return;
        RandomAccess.Write(target, data, offset);
    }

    private static bool HashMatches(ReadOnlySpan<byte> data, ReadOnlySpan<byte> expected)
    {
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, actual);
        return actual.SequenceEqual(expected);
    }

    private static void DeleteIfPresent(string path)
    {
        if (NativeFile.TryLstat(path, out var stat, out _))
        {
            if (stat.IsDirectory)
                Directory.Delete(path, recursive: false);
            else
                File.Delete(path);
        }
    }
}
