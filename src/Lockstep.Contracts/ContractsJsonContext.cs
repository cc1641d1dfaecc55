using System.Text.Json.Serialization;

namespace Lockstep.Contracts;

/// <summary>Source-generated JSON for every contract type (no reflection at run time).</summary>
[JsonSerializable(typeof(List<DeviceListItem>))]
[JsonSerializable(typeof(List<FolderListItem>))]
[JsonSerializable(typeof(List<IndexEntry>))]
[JsonSerializable(typeof(ScanReport))]
[JsonSourceGenerationOptions(WriteIndented = true)]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
