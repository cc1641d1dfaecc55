using System.Text;

namespace Lockstep.Node.Config;

/// <summary>The REST API endpoint (<c>api:</c> in config.yaml).</summary>
public sealed record ApiConfig
{
    /// <summary>Loopback only, and clear of Syncthing's 8384 so both can run on one machine.</summary>
    public const string DefaultAddress = "127.0.0.1:8385";

    /// <summary><c>host:port</c> the API listens on (<c>api.address</c>); defaults to <see cref="DefaultAddress"/>. Port 0 picks a free port.</summary>
    public string Address { get; init; } = DefaultAddress;

    /// <summary>The API key clients send as <c>X-API-Key</c> or a bearer token (<c>api.key</c>); must not be empty.</summary>
    public string Key { get; init; } = "";

    /// <summary>Serve <c>/metrics</c> without the key (<c>api.metricsNoAuth</c>, ARCHITECTURE.md §3); defaults to false.</summary>
    public bool MetricsNoAuth { get; init; }

    // The key is a credential: keep it out of ToString, which ends up in logs and test output.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Address = ").Append(Address)
            .Append(", Key = ").Append(string.IsNullOrEmpty(Key) ? "(empty)" : "(set)")
            .Append(", MetricsNoAuth = ").Append(MetricsNoAuth);
        return true;
    }
}
