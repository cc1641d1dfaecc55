using System.Globalization;
using Lockstep.FileSystem.Names;

namespace Lockstep.Sync.Versioning;

/// <summary>
/// Keeps replaced and deleted files under the folder's <c>.stversions/</c>, named as Syncthing names them so
/// Syncthing users find them where they expect: trashcan keeps <c>name</c> as is; simple and staggered keep
/// <c>stem~YYYYMMDD-HHMMSS.ext</c> (the local time of the replacement). Everything here stays below the folder root.
/// </summary>
public sealed class Versioner
{
    private const string TimeFormat = "yyyyMMdd-HHmmss";
    private readonly string _root;
    private readonly VersioningSettings _settings;
    private readonly TimeProvider _clock;

    public Versioner(string folderRoot, VersioningSettings settings, TimeProvider? clock = null)
    {
        _root = folderRoot;
        _settings = settings;
        _clock = clock ?? TimeProvider.System;
    }

    public bool Enabled => _settings.Kind != VersioningKind.None;

    private string VersionsDir => Path.Join(_root, InternalNames.Versions);

    /// <summary>
    /// Moves the file at <paramref name="name"/> into .stversions (instead of deleting or overwriting it). Returns
    /// false when versioning is off, so the caller deletes or overwrites as usual.
    /// </summary>
    public bool Archive(string name)
    {
        if (!Enabled)
            return false;
        var source = Path.Join(_root, name);
        var now = _clock.GetLocalNow();
        var stored = _settings.Kind == VersioningKind.Trashcan ? name : Tagged(name, now);
        var target = Path.Join(VersionsDir, stored);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // The archived copy's mtime says when it was archived (Syncthing's trashcan ages copies by it); the file's
        // own mtime is in the name-less trashcan copy's inode no longer, which is what Syncthing does as well.
        File.Move(source, target, overwrite: true);
        if (_settings.Kind == VersioningKind.Trashcan)
            File.SetLastWriteTimeUtc(target, now.UtcDateTime);
        else
            Thin(name);
        return true;
    }

    /// <summary>Every kept copy (of one file, or of all), newest first per file.</summary>
    public IReadOnlyList<FileVersion> List(string? name = null)
    {
        if (!Directory.Exists(VersionsDir))
            return [];
        var all = new List<FileVersion>();
        foreach (var path in Directory.EnumerateFiles(VersionsDir, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var stored = Path.GetRelativePath(VersionsDir, path).Replace('\\', '/');
            var info = new System.IO.FileInfo(path);
            if (info.LinkTarget is not null)
                continue;
            FileVersion version;
            if (_settings.Kind == VersioningKind.Trashcan || !TryUntag(stored, out var original, out var time))
                version = new FileVersion(stored, info.LastWriteTimeUtc, info.LastWriteTimeUtc, info.Length, stored);
            else
                version = new FileVersion(original, time, info.LastWriteTimeUtc, info.Length, stored);
            if (name is null || version.Name == name)
                all.Add(version);
        }
        return [.. all.OrderBy(v => v.Name, StringComparer.Ordinal).ThenByDescending(v => v.VersionTime)];
    }

    /// <summary>
    /// Puts a kept copy back at its original name (the newest when <paramref name="versionTime"/> is null); the
    /// current file there, if any, is archived first, so a restore loses nothing either. Returns the copy restored.
    /// </summary>
    public FileVersion Restore(string name, DateTimeOffset? versionTime)
    {
        var versions = List(name);
        var chosen = (versionTime is { } t ? versions.FirstOrDefault(v => Math.Abs((v.VersionTime - t).TotalSeconds) < 1) : versions.FirstOrDefault())
            ?? throw new FileNotFoundException(versions.Count == 0
                ? $"no kept versions of '{name}' in {VersionsDir}"
                : $"no version of '{name}' from {versionTime:yyyy-MM-dd HH:mm:ss}; kept: {string.Join(", ", versions.Select(v => v.VersionTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)))}");
        var target = Path.Join(_root, name);
        var temp = Path.Join(_root, InternalNames.TempNameFor(name));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Path.Join(VersionsDir, chosen.StoredAs), temp, overwrite: true);
        File.SetLastWriteTimeUtc(temp, chosen.ModTime.UtcDateTime);
        if (File.Exists(target))
            Archive(name);
        File.Move(temp, target, overwrite: true);
        return chosen;
    }

    /// <summary>Removes what the policy no longer keeps (trashcan: older than CleanoutDays; staggered: thinning and MaxAge).</summary>
    public int Cleanup()
    {
        if (!Enabled || !Directory.Exists(VersionsDir))
            return 0;
        int removed = 0;
        if (_settings.Kind == VersioningKind.Trashcan)
        {
            if (_settings.CleanoutDays <= 0)
                return 0;
            var cutoff = _clock.GetUtcNow().AddDays(-_settings.CleanoutDays);
            foreach (var v in List().Where(v => v.VersionTime < cutoff))
            {
                File.Delete(Path.Join(VersionsDir, v.StoredAs));
                removed++;
            }
            return removed;
        }
        foreach (var name in List().Select(v => v.Name).Distinct(StringComparer.Ordinal).ToList())
            removed += Thin(name);
        return removed;
    }

    /// <summary>Applies the keep rule to one file's copies; returns how many were removed.</summary>
    private int Thin(string name)
    {
        var versions = List(name);
        var drop = _settings.Kind == VersioningKind.Simple
            ? versions.Skip(Math.Max(1, _settings.Keep)).ToList()
            : StaggeredPlan.Drop(versions.Select(v => v.VersionTime).ToList(), _clock.GetUtcNow(), _settings.MaxAge)
                .Select(t => versions.First(v => v.VersionTime == t)).ToList();
        foreach (var v in drop)
            File.Delete(Path.Join(VersionsDir, v.StoredAs));
        return drop.Count;
    }

    private static string Tagged(string name, DateTimeOffset time)
    {
        int slash = name.LastIndexOf('/');
        string dir = name[..(slash + 1)], file = name[(slash + 1)..];
        int dot = file.LastIndexOf('.');
        string stem = dot <= 0 ? file : file[..dot], ext = dot <= 0 ? "" : file[dot..];
        return $"{dir}{stem}~{time.ToString(TimeFormat, CultureInfo.InvariantCulture)}{ext}";
    }

    private static bool TryUntag(string stored, out string name, out DateTimeOffset time)
    {
        name = stored;
        time = default;
        int slash = stored.LastIndexOf('/');
        string dir = stored[..(slash + 1)], file = stored[(slash + 1)..];
        int tilde = file.LastIndexOf('~');
        if (tilde < 0 || file.Length < tilde + 1 + TimeFormat.Length)
            return false;
        var stamp = file.Substring(tilde + 1, TimeFormat.Length);
        if (!DateTime.TryParseExact(stamp, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var local))
            return false;
        time = new DateTimeOffset(local);
        name = dir + file[..tilde] + file[(tilde + 1 + TimeFormat.Length)..];
        return true;
    }
}
