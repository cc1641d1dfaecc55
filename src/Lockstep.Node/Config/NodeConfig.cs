using System.Collections.Immutable;
using System.Text;

namespace Lockstep.Node.Config;

/// <summary>
/// The node's configuration as config.yaml holds it (ARCHITECTURE.md §4), frozen: it changes only by making
/// a new value (<c>with</c>, or the validating helpers <see cref="WithDevice"/>, <see cref="ShareFolder"/>, ...).
/// <see cref="ConfigFile"/> reads and writes it. Equality is structural, lists included.
/// </summary>
public sealed partial record NodeConfig
{
    /// <summary>All interfaces, on a port clear of Syncthing's 22000.</summary>
    public const string DefaultListen = "tcp://0.0.0.0:22001";

    /// <summary>The node's name for people (<c>name</c>); <c>init</c> writes one, a file without it loads as empty.</summary>
    public string Name { get; init; } = "";

    /// <summary>Where BEP listens (<c>listen</c>), as <c>tcp://host:port</c>; defaults to <see cref="DefaultListen"/>. Port 0 picks a free port.</summary>
    public string Listen { get; init; } = DefaultListen;

    /// <summary>The log levels, least to most severe, as <c>logLevel</c> spells them.</summary>
    public static IReadOnlyList<string> LogLevelNames { get; } = ["trace", "debug", "information", "warning", "error", "critical"];

    /// <summary>The least severe log lines <c>serve</c> writes (<c>logLevel</c>, one of <see cref="LogLevelNames"/>); defaults to information.</summary>
    public string LogLevel { get; init; } = "information";

    /// <summary>The REST API endpoint and key (<c>api</c>).</summary>
    public ApiConfig Api { get; init; } = new();

    /// <summary>The peers (<c>devices</c>), in file order; IDs are unique.</summary>
    public ImmutableArray<DeviceConfig> Devices { get; init => field = value.IsDefault ? [] : value; } = [];

    /// <summary>The synced folders (<c>folders</c>), in file order; IDs are unique and paths do not overlap.</summary>
    public ImmutableArray<FolderConfig> Folders { get; init => field = value.IsDefault ? [] : value; } = [];

    /// <summary>A new node's configuration: default listen and API addresses, no devices, no folders.</summary>
    /// <exception cref="ConfigException">The API key is empty.</exception>
    public static NodeConfig Default(string name, string apiKey)
    {
        var config = new NodeConfig { Name = name, Api = new ApiConfig { Key = apiKey } };
        config.Validate();
        return config;
    }

    /// <summary>
    /// Checks everything that does not depend on the file's syntax: addresses, ranges, unique IDs,
    /// absolute non-overlapping paths, folders shared only with listed devices.
    /// </summary>
    /// <exception cref="ConfigException">The first problem found, naming its key (e.g. <c>folders[1].path</c>).</exception>
    public void Validate() => ConfigValidator.Validate(this);

    /// <inheritdoc />
    public bool Equals(NodeConfig? other) =>
        other is not null
        && Name == other.Name
        && Listen == other.Listen
        && LogLevel == other.LogLevel
        && Api == other.Api
        && Devices.SequenceEqual(other.Devices)
        && Folders.SequenceEqual(other.Folders);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Listen, Api, Devices.Length, Folders.Length);

    // ImmutableArray prints as its type name; list the entries so logs and test failures show them.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name)
            .Append(", Listen = ").Append(Listen)
            .Append(", Api = ").Append(Api)
            .Append(", Devices = [").AppendJoin(", ", Devices).Append(']')
            .Append(", Folders = [").AppendJoin(", ", Folders).Append(']');
        return true;
    }
}
