using System.Text.Json.Serialization;

namespace Lockstep.Contracts;

/// <summary>`lockstep scan --json`: what one scan recorded.</summary>
public sealed record ScanReport(
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("changed")] int Changed,
    [property: JsonPropertyName("deleted")] int Deleted,
    [property: JsonPropertyName("hashedFiles")] long HashedFiles,
    [property: JsonPropertyName("hashedBytes")] long HashedBytes,
    [property: JsonPropertyName("durationSeconds")] double DurationSeconds,
    [property: JsonPropertyName("problems")] List<string> Problems);
