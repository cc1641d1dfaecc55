using System.Text;

namespace Lockstep.Protocol.Validation;

/// <summary>
/// The protocol-level name check (bep-v1.md §5.11). A name on the wire is folder-relative, '/'-separated,
/// canonical (equal to Go's path.Clean of itself), not "", "." or "..", not absolute, not escaping the
/// folder, and valid UTF-8 in NFC. Syncthing closes the connection over the first four; its scanner never
/// produces the others (it skips invalid UTF-8 and normalizes or skips non-NFC names), so rejecting them
/// costs nothing and keeps ambiguous names away from the file system. NUL is refused too: no file system
/// can hold it, and native calls would silently cut the name short at it.
/// </summary>
internal static class WireName
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Null if the name is acceptable, else the reason, worded like Syncthing's errors where it has one.</summary>
    public static string? Check(string name, int maxBytes)
    {
        if (name.Length == 0)
            return "filename is invalid (empty)";
        if (name is "." or "..")
            return "filename is invalid";
        if (name[0] == '/')
            return "filename is invalid (absolute; names are folder-relative)";
        if (name.StartsWith("../", StringComparison.Ordinal))
            return "filename is invalid (starts with ../, outside the folder)";

        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(name);
        }
        catch (EncoderFallbackException)
        {
            return "filename is not valid UTF-8";
        }
        if (bytes > maxBytes)
            return $"filename is {bytes} bytes, over the limit of {maxBytes}";
        if (name.Contains('\0'))
            return "filename is invalid (contains NUL)";

        if (CheckElements(name) is { } unclean)
            return "filename not in canonical format (" + unclean + ")";

        if (!name.IsNormalized(NormalizationForm.FormC))
            return "filename is not NFC-normalized UTF-8";
        return null;
    }

    // path.Clean changes a name exactly when it has an empty element ("a//b", trailing "/"), a "." element
    // or a ".." element; a leading "/" and "../" are handled above.
    private static string? CheckElements(string name)
    {
        int start = 0;
        while (start <= name.Length)
        {
            int slash = name.IndexOf('/', start);
            int end = slash < 0 ? name.Length : slash;
            var element = name.AsSpan(start, end - start);
            if (element.IsEmpty)
                return slash < 0 ? "trailing slash" : "empty path element";
            if (element is ".")
                return "\".\" path element";
            if (element is "..")
                return "\"..\" path element";
            if (slash < 0)
                break;
            start = slash + 1;
        }
        return null;
    }
}
