using Lockstep.FileSystem.Native;
using Lockstep.Index;
using Lockstep.Sync.Global;

namespace Lockstep.Sync.Folders;

/// <summary>One conflict copy in a folder and the live file it was made from.</summary>
public sealed record ConflictItem(string Path, string Copy, long CopySize, DateTimeOffset CopyModified, bool LiveExists, long LiveSize, DateTimeOffset LiveModified);

/// <summary>What a person keeps when resolving a conflict.</summary>
public enum ConflictKeep
{
    /// <summary>The live file stays; the conflict copies go.</summary>
    Local,
    /// <summary>The newest copy's bytes become the live file; the copies go.</summary>
    Remote,
    /// <summary>Both stay: each copy gets an ordinary name, so nothing is listed as a conflict any more.</summary>
    Both,
}

/// <summary>
/// The conflicts of a folder as the cluster sees them (every conflict copy in the global state), and their
/// resolution on disk. A resolution is a local change like any other: the next scan sends it to every node.
/// </summary>
public static class Conflicts
{
    public static IReadOnlyList<ConflictItem> List(FolderIndex index, IReadOnlyList<Lockstep.Protocol.Identity.DeviceId> peers)
    {
        var copies = new List<FileInfo>();
        var live = new Dictionary<string, FileInfo>(StringComparer.Ordinal);
        foreach (var entry in GlobalView.Enumerate(index, peers))
        {
            if (entry.Global.Deleted || entry.Global.Invalid || !entry.Global.IsFile)
                continue;
            if (ConflictNames.OriginalOf(entry.Name) is not null)
                copies.Add(entry.Global);
            else
                live[entry.Name] = entry.Global;
        }
        return [.. copies.Select(c =>
        {
            var original = ConflictNames.OriginalOf(c.Name)!;
            live.TryGetValue(original, out var l);
            return new ConflictItem(original, c.Name, c.Size, Time(c), l is not null, l?.Size ?? 0, l is null ? default : Time(l));
        }).OrderBy(c => c.Path, StringComparer.Ordinal).ThenBy(c => c.Copy, StringComparer.Ordinal)];
    }

    private static DateTimeOffset Time(FileInfo f) => DateTimeOffset.FromUnixTimeSeconds(f.ModifiedS).AddTicks(f.ModifiedNs / 100);

    /// <summary>
    /// Deletes the oldest conflict copies of <paramref name="name"/> beyond <paramref name="maxConflicts"/> (-1 keeps
    /// all); the timestamp in their names orders them. Returns how many went.
    /// </summary>
    public static int Prune(string root, string name, int maxConflicts)
    {
        if (maxConflicts < 0)
            return 0;
        var (directory, prefix, suffix) = ConflictNames.CopiesOf(name);
        var dir = Path.Join(root, directory);
        if (!Directory.Exists(dir))
            return 0;
        var copies = Directory.EnumerateFiles(dir)
            .Where(path => Path.GetFileName(path) is var f && f.StartsWith(prefix, StringComparison.Ordinal) && f.EndsWith(suffix, StringComparison.Ordinal)
                           && ConflictNames.OriginalOf(f) is not null)
            .Order(StringComparer.Ordinal).ToList();
        var drop = copies.Take(Math.Max(0, copies.Count - maxConflicts)).ToList();
        foreach (var old in drop)
            File.Delete(old);
        return drop.Count;
    }

    /// <summary>
    /// Resolves the conflicts of <paramref name="path"/> on disk; returns the names touched (to be scanned). Throws
    /// <see cref="FileNotFoundException"/> when the folder holds no conflict copy of it.
    /// </summary>
    public static IReadOnlyList<string> Resolve(string root, string path, ConflictKeep keep, DateTimeOffset now)
    {
        var (directory, prefix, suffix) = ConflictNames.CopiesOf(path);
        var dir = Path.Join(root, directory);
        var copies = Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir).Select(Path.GetFileName)
                .Where(f => f!.StartsWith(prefix, StringComparison.Ordinal) && f.EndsWith(suffix, StringComparison.Ordinal) && ConflictNames.OriginalOf(f) is not null)
                .Select(f => directory.Length == 0 ? f! : directory + "/" + f).Order(StringComparer.Ordinal).ToList()
            : [];
        if (copies.Count == 0)
            throw new FileNotFoundException($"'{path}' has no conflict copies in {root} (see 'lockstep conflicts list')");
        var touched = new List<string>(copies) { path };
        switch (keep)
        {
            case ConflictKeep.Local:
                foreach (var copy in copies)
                    File.Delete(Path.Join(root, copy));
                break;
            case ConflictKeep.Remote:
                // The newest copy (the timestamp sorts them) replaces the live file; it is scanned as our change.
                File.Move(Path.Join(root, copies[^1]), Path.Join(root, path), overwrite: true);
                foreach (var copy in copies.SkipLast(1))
                    File.Delete(Path.Join(root, copy));
                break;
            case ConflictKeep.Both:
                foreach (var copy in copies)
                {
                    var kept = copy.Replace(ConflictNames.Marker, ".kept-", StringComparison.Ordinal);
                    File.Move(Path.Join(root, copy), Path.Join(root, kept), overwrite: false);
                    touched.Add(kept);
                }
                break;
        }
        return touched;
    }
}
