using System.Net;
using Lockstep.Node.Config;
using Lockstep.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lockstep.Node.Api;

/// <summary>
/// The node's REST API on Kestrel: Syncthing's paths and JSON names where Syncthing has the endpoint, Lockstep's
/// own under /rest/lockstep/. Listens on <c>api.address</c> (port 0 allowed; <see cref="Address"/> is what was bound).
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiServer(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>host:port actually bound, e.g. 127.0.0.1:41234.</summary>
    public string Address { get; }

    public static async Task<ApiServer> StartAsync(NodeHost node, NodeConfig config, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var endpoint = ParseAddress(config.Api.Address);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggers));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The host's start failures reach the node as exceptions (and become NodeStartException or a clean stop);
        // its own "failed to start" line would only repeat them, or call a SIGTERM during start an error.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.WebHost.UseKestrel(o => o.Listen(endpoint));
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(5)); // event streams end on ApplicationStopping; nothing else runs long
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, Lockstep.Contracts.ContractsJsonContext.Default));
        var app = builder.Build();
        app.Use(ApiKeyCheck.Middleware(config.Api.Key, config.Api.MetricsNoAuth));
        var routes = new ApiRoutes(node, config);
        routes.Map(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false); // a half-started server lets go of its socket
            throw;
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ApiServer(app, new Uri(bound).Authority);
    }

    /// <summary>host:port as the config holds it (validated there), with [v6] brackets; a name is resolved.</summary>
    private static IPEndPoint ParseAddress(string address)
    {
        int colon = address.LastIndexOf(':');
        var host = address[..colon].Trim('[', ']');
        int port = int.Parse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var ip = IPAddress.TryParse(host, out var parsed) ? parsed
            : host is "localhost" ? IPAddress.Loopback
            : Dns.GetHostAddresses(host).FirstOrDefault() ?? throw new NodeStartException($"api.address {address}: '{host}' does not resolve; use an IP address such as 127.0.0.1");
        return new IPEndPoint(ip, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
