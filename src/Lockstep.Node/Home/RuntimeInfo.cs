using System.Text.Json.Serialization;

namespace Lockstep.Node.Home;

/// <summary>HOME/runtime.json, written by serve: where the running node actually listens (port 0 resolved).</summary>
public sealed record RuntimeInfo(
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("startedAt")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("listen")] string? Listen,
    [property: JsonPropertyName("apiAddress")] string? ApiAddress);

[JsonSerializable(typeof(RuntimeInfo))]
[JsonSourceGenerationOptions(WriteIndented = true)]
public sealed partial class RuntimeJsonContext : JsonSerializerContext;
