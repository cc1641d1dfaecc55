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

    /// <summary>
    /// A UNIX socket the API also listens on, for local tools (<c>api.unixSocket</c>): an absolute path; the socket is
    /// created with mode 0600, so only the node's user can use it. Empty (the default) for none.
    /// </summary>
    public string UnixSocket { get; init; } = "";

    /// <summary>Serve HTTPS with the node's own certificate instead of HTTP (<c>api.tls</c>); defaults to false.</summary>
    public bool Tls { get; init; }

    /// <summary>
    /// Browser origins allowed to call the API across sites (<c>api.corsOrigins</c>, e.g. https://dash.example); empty by
    /// default, so no cross-origin request is allowed. The key is still required: CORS never grants access alone.
    /// </summary>
    public System.Collections.Immutable.ImmutableArray<string> CorsOrigins { get; init => field = value.IsDefault ? [] : value; } = [];

    /// <inheritdoc />
    public bool Equals(ApiConfig? other) =>
        other is not null && Address == other.Address && Key == other.Key && MetricsNoAuth == other.MetricsNoAuth
        && UnixSocket == other.UnixSocket && Tls == other.Tls && CorsOrigins.SequenceEqual(other.CorsOrigins);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Address, Key, MetricsNoAuth, UnixSocket, Tls, CorsOrigins.Length);

    // The key is a credential: keep it out of ToString, which ends up in logs and test output.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Address = ").Append(Address)
            .Append(", Key = ").Append(string.IsNullOrEmpty(Key) ? "(empty)" : "(set)")
            .Append(", MetricsNoAuth = ").Append(MetricsNoAuth)
            .Append(", UnixSocket = ").Append(UnixSocket)
            .Append(", Tls = ").Append(Tls)
            .Append(", CorsOrigins = [").AppendJoin(", ", CorsOrigins).Append(']');
        return true;
    }
}
