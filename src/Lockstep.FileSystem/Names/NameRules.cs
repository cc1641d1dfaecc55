using System.Text;

namespace Lockstep.FileSystem.Names;

/// <summary>Rules for folder-relative names: '/'-separated, canonical, NFC (bep-v1.md §5.11).</summary>
public static class NameRules
{
    /// <summary>
    /// True when .NET had to substitute U+FFFD while decoding the name from the file system, i.e. the
    /// on-disk bytes are not valid UTF-8. Such names cannot be announced in BEP (strings are UTF-8).
    /// </summary>
    public static bool LooksUndecodable(string name) => name.Contains('\uFFFD');

    public static bool IsNfc(string name) => name.IsNormalized(NormalizationForm.FormC);

    public static string ToNfc(string name) => name.IsNormalized(NormalizationForm.FormC) ? name : name.Normalize(NormalizationForm.FormC);

    /// <summary>
    /// A name a peer may send: not empty, no leading '/', no '.' or '..' element, no empty element, no
    /// backslash or NUL, NFC. Returns null when valid, else the reason.
    /// </summary>
    public static string? Validate(string name)
    {
        if (name.Length == 0)
            return "the name is empty";
        if (name[0] == '/')
            return "the name is absolute";
        if (name.Contains('\0'))
            return "the name contains a NUL character";
        if (name.Contains('\\'))
            return "the name contains a backslash";
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0)
                return "the name has an empty element (// or a trailing /)";
            if (part is "." or "..")
                return $"the name has a '{part}' element";
        }
        if (!IsNfc(name))
            return "the name is not in Unicode NFC";
        return null;
    }
}
