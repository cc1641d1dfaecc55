using System.Security.Cryptography;

namespace Lockstep.Testing;

/// <summary>Every entry under a root with its type, size, mtime, mode and content hash: to prove nothing changed.</summary>
public static class TreeSnapshot
{
    public static string Take(string root)
    {
        var lines = new List<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var info = new System.IO.FileInfo(path);
            var rel = Path.GetRelativePath(root, path);
            if (info.LinkTarget is not null)
                lines.Add($"{rel} -> {info.LinkTarget}");
            else if (Directory.Exists(path))
                lines.Add($"{rel}/ {File.GetUnixFileMode(path)}");
            else
                lines.Add($"{rel} {info.Length} {info.LastWriteTimeUtc.Ticks} {File.GetUnixFileMode(path)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))}");
        }
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }
}
