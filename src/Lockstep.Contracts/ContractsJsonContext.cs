using System.Text.Json.Serialization;
using Lockstep.Contracts.Rest;

namespace Lockstep.Contracts;

/// <summary>Source-generated JSON for every contract type (no reflection at run time).</summary>
[JsonSerializable(typeof(List<DeviceListItem>))]
[JsonSerializable(typeof(List<FolderListItem>))]
[JsonSerializable(typeof(List<IndexEntry>))]
[JsonSerializable(typeof(ScanReport))]
[JsonSerializable(typeof(SystemStatus))]
[JsonSerializable(typeof(SystemVersion))]
[JsonSerializable(typeof(PingAnswer))]
[JsonSerializable(typeof(HealthAnswer))]
[JsonSerializable(typeof(ReadyAnswer))]
[JsonSerializable(typeof(ErrorAnswer))]
[JsonSerializable(typeof(ConnectionsAnswer))]
[JsonSerializable(typeof(DbStatus))]
[JsonSerializable(typeof(DbCompletion))]
[JsonSerializable(typeof(DbNeed))]
[JsonSerializable(typeof(NodeStatus))]
[JsonSerializable(typeof(CommandAnswer))]
[JsonSerializable(typeof(List<VersionItem>))]
[JsonSerializable(typeof(VersionItem))]
[JsonSerializable(typeof(List<ConflictEntry>))]
[JsonSerializable(typeof(List<EventEntry>))]
[JsonSerializable(typeof(EventEntry))]
[JsonSerializable(typeof(StateChangedData))]
[JsonSerializable(typeof(DeviceConnectedData))]
[JsonSerializable(typeof(DeviceDisconnectedData))]
[JsonSerializable(typeof(LocalIndexUpdatedData))]
[JsonSerializable(typeof(RemoteIndexUpdatedData))]
[JsonSerializable(typeof(FolderSummaryData))]
[JsonSerializable(typeof(StartupCompleteData))]
[JsonSourceGenerationOptions(WriteIndented = true)]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
