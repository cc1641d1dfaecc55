using Lockstep.FileSystem.Ignore;
using Lockstep.FileSystem.Names;
using Lockstep.Sync.Global;

namespace Lockstep.Sync.Pulling;

/// <summary>
/// What a pull pass will do, in the order it does it (Syncthing's): directories parents first, then files and
/// symlinks in the folder's pull order, then deletions of files, then of directories children first. Names
/// that are ignored here or belong to the sync machinery are never pulled.
/// </summary>
public sealed record PullPlan(
    IReadOnlyList<GlobalEntry> Directories,
    IReadOnlyList<GlobalEntry> Files,
    IReadOnlyList<GlobalEntry> FileDeletes,
    IReadOnlyList<GlobalEntry> DirectoryDeletes,
    long Bytes,
    int LocalFiles)
{
    public int Items => Directories.Count + Files.Count + FileDeletes.Count + DirectoryDeletes.Count;

    /// <summary>
    /// Deletions of files this device holds whose bytes do not reappear under another name in the same plan: what the
    /// mass-delete limit counts. A rename is a delete and a create of the same content, and loses nothing.
    /// </summary>
    public int DeletesOfLocalFiles
    {
        get
        {
            var created = Files.Where(e => e.Global.IsFile).Select(e => ContentKey(e.Global)).ToHashSet(StringComparer.Ordinal);
            return FileDeletes.Count(e => e.Local is { Deleted: false } local && !(local.IsFile && created.Contains(ContentKey(local))));
        }
    }

    private static string ContentKey(FileInfo f) =>
        f.Size + ":" + (f.Blocks.IsDefaultOrEmpty ? "" : Convert.ToHexString(f.Blocks[0].Hash)) + ":" + f.Blocks.Length;

    /// <param name="localFiles">The folder's file count when <paramref name="entries"/> are only some of its names (the delete limit's base).</param>
    public static PullPlan Build(IEnumerable<GlobalEntry> entries, IgnoreMatcher ignores, PullOrder order, Random? random = null, int? localFiles = null)
    {
        var dirs = new List<GlobalEntry>();
        var files = new List<GlobalEntry>();
        var fileDeletes = new List<GlobalEntry>();
        var dirDeletes = new List<GlobalEntry>();
        long bytes = 0;
        int counted = 0;
        foreach (var e in entries)
        {
            if (e.Local is { Deleted: false, IsDirectory: false })
                counted++;
            if (!e.LocalNeeds || InternalNames.IsInternal(e.Name) || InternalNames.IsTemporary(e.Name))
                continue;
            if ((ignores.Match(e.Name) & IgnoreResult.Ignored) != 0)
                continue;
            var g = e.Global;
            if (g.Deleted)
                (g.IsDirectory ? dirDeletes : fileDeletes).Add(e);
            else if (g.IsDirectory)
                dirs.Add(e);
            else
            {
                files.Add(e);
                bytes += g.Size;
            }
        }
        dirs.Sort((a, b) => Depth(a.Name).CompareTo(Depth(b.Name)) is var c && c != 0 ? c : string.CompareOrdinal(a.Name, b.Name));
        dirDeletes.Sort((a, b) => Depth(b.Name).CompareTo(Depth(a.Name)) is var c && c != 0 ? c : string.CompareOrdinal(a.Name, b.Name));
        Order(files, order, random ?? Random.Shared);
        return new PullPlan(dirs, files, fileDeletes, dirDeletes, bytes, localFiles ?? counted);
    }

    private static int Depth(string name) => name.AsSpan().Count('/');

    private static void Order(List<GlobalEntry> files, PullOrder order, Random random)
    {
        switch (order)
        {
            case PullOrder.Random:
                var array = files.ToArray();
                random.Shuffle(array);
                files.Clear();
                files.AddRange(array);
                break;
            case PullOrder.Alphabetic:
                files.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                break;
            case PullOrder.SmallestFirst:
                files.Sort((a, b) => a.Global.Size.CompareTo(b.Global.Size));
                break;
            case PullOrder.LargestFirst:
                files.Sort((a, b) => b.Global.Size.CompareTo(a.Global.Size));
                break;
            case PullOrder.OldestFirst:
                files.Sort((a, b) => Mtime(a).CompareTo(Mtime(b)));
                break;
            case PullOrder.NewestFirst:
                files.Sort((a, b) => Mtime(b).CompareTo(Mtime(a)));
                break;
        }
    }

    private static (long, int) Mtime(GlobalEntry e) => (e.Global.ModifiedS, e.Global.ModifiedNs);

    /// <summary>
    /// Null when the plan may go ahead; else why it must wait for a person: it would delete more than
    /// <paramref name="maxDeletePercent"/> percent of the files this device holds.
    /// </summary>
    public string? ExceedsDeleteLimit(int maxDeletePercent)
    {
        if (maxDeletePercent >= 100 || LocalFiles == 0)
            return null;
        int deletes = DeletesOfLocalFiles;
        if (deletes * 100L <= (long)LocalFiles * maxDeletePercent)
            return null;
        return $"the peers' changes would delete {deletes} of this folder's {LocalFiles} files " +
               $"({deletes * 100L / LocalFiles}%, more than maxDeletePercent {maxDeletePercent}%); nothing was deleted. " +
               "If that is intended, run 'lockstep resume --allow-deletes' for this folder; if a volume is missing on a peer, fix that first";
    }
}
