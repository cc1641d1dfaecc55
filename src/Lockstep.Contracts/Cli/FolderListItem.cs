using System.Text.Json.Serialization;

namespace Lockstep.Contracts;

/// <summary>One row of `lockstep folder list --json`.</summary>
public sealed record FolderListItem(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("devices")] List<string> Devices,
    [property: JsonPropertyName("rescanIntervalS")] double RescanIntervalS);
