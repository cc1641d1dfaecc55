namespace Lockstep.FileSystem.Names;

/// <summary>Names that belong to the sync machinery, never indexed or synced (bep-v1.md §5.11).</summary>
public static class InternalNames
{
    public const string Marker = ".stfolder";
    public const string IgnoreFile = ".stignore";
    public const string Versions = ".stversions";
    public const string TempPrefix = ".syncthing.";
    public const string WindowsTempPrefix = "~syncthing~";
    public const string TempSuffix = ".tmp";

    /// <summary>True for .stfolder, .stignore, .stversions (and anything below them) at the folder root.</summary>
    public static bool IsInternal(string name)
    {
        var first = name.AsSpan();
        int slash = first.IndexOf('/');
        if (slash >= 0)
            first = first[..slash];
        return first is Marker or IgnoreFile or Versions;
    }

    /// <summary>A temp file of a pull in progress, at any depth: .syncthing.NAME.tmp or ~syncthing~NAME.tmp.</summary>
    public static bool IsTemporary(string name)
    {
        var baseName = name.AsSpan(name.LastIndexOf('/') + 1);
        return (baseName.StartsWith(TempPrefix) || baseName.StartsWith(WindowsTempPrefix)) && baseName.EndsWith(TempSuffix);
    }

    /// <summary>The temp name Syncthing uses for a pull of <paramref name="name"/> (in the same directory).</summary>
    public static string TempNameFor(string name)
    {
        int slash = name.LastIndexOf('/');
        var dir = slash >= 0 ? name[..(slash + 1)] : "";
        var baseName = name[(slash + 1)..];
        // Syncthing hashes names that would exceed 160 bytes with the prefix and suffix.
        const int maxLength = 160 - 10 - 4;
        if (System.Text.Encoding.UTF8.GetByteCount(baseName) > maxLength)
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(baseName)));
            return dir + TempPrefix + hash + TempSuffix;
        }
        return dir + TempPrefix + baseName + TempSuffix;
    }
}
