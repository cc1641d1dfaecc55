using System.Globalization;
using System.Text.Json;

namespace Lockstep.Testing;

/// <summary>Lenient readers for Syncthing's REST JSON: a missing or null member reads as the default.</summary>
internal static class SyncthingJson
{
    public static string Str(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    public static long Long(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? (long)v.GetDouble() : 0;

    public static double Double(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;

    public static bool Bool(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    public static JsonElement Obj(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : default;

    public static IReadOnlyList<string> Strings(this JsonElement e, string name) =>
        e.Obj(name) is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [];

    /// <summary>Go's RFC 3339 with nanoseconds; .NET parses at most 7 fractional digits, so the rest is dropped.</summary>
    public static DateTimeOffset Time(this JsonElement e, string name)
    {
        var s = e.Str(name);
        if (s.Length == 0)
            return default;
        var dot = s.IndexOf('.');
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < s.Length && char.IsAsciiDigit(s[end]))
                end++;
            if (end - dot - 1 > 7)
                s = s[..(dot + 8)] + s[end..];
        }
        return DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }
}
