using System.Text.Json.Serialization;

namespace Lockstep.Contracts;

/// <summary>One item of `lockstep ls --json`: a local index entry in BEP terms.</summary>
public sealed record IndexEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("modified")] string Modified,
    [property: JsonPropertyName("permissions")] string Permissions,
    [property: JsonPropertyName("deleted")] bool Deleted,
    [property: JsonPropertyName("invalid")] bool Invalid,
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("version")] List<VersionCounter> Version,
    [property: JsonPropertyName("blockSize")] int BlockSize,
    [property: JsonPropertyName("blocks")] int Blocks);

/// <summary>A version-vector counter: the device's short ID and its value.</summary>
public sealed record VersionCounter(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("value")] ulong Value);
