using System.Text.Json.Serialization;

namespace Lockstep.Contracts;

/// <summary>One row of `lockstep device list --json`.</summary>
public sealed record DeviceListItem(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("addresses")] List<string> Addresses,
    [property: JsonPropertyName("introducer")] bool Introducer,
    [property: JsonPropertyName("compression")] string Compression);
