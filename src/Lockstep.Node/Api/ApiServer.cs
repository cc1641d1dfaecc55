using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
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
/// own under /rest/lockstep/. Listens on <c>api.address</c> (port 0 allowed; <see cref="Address"/> is what was bound),
/// with HTTPS and the node's certificate when <c>api.tls</c> is set, and also on <c>api.unixSocket</c> (mode 0600) when
/// one is configured. Cross-origin requests are refused unless their origin is in <c>api.corsOrigins</c>.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly Socket? _unixSocket;

    private ApiServer(WebApplication app, string address, bool tls, Socket? unixSocket)
    {
        _app = app;
        Address = address;
        Url = (tls ? "https://" : "http://") + address;
        _unixSocket = unixSocket;
    }

    /// <summary>host:port actually bound, e.g. 127.0.0.1:41234.</summary>
    public string Address { get; }

    /// <summary>The address with its scheme, e.g. https://127.0.0.1:41234 when api.tls is set.</summary>
    public string Url { get; }

    public static async Task<ApiServer> StartAsync(NodeHost node, NodeConfig config, ILoggerFactory loggers, CancellationToken cancellationToken,
        X509Certificate2? certificate = null)
    {
        var endpoint = ParseAddress(config.Api.Address);
        if (config.Api.Tls && certificate is null)
            throw new NodeStartException("api.tls is set but the node's certificate is not available to the API");
        var unixSocket = config.Api.UnixSocket.Length > 0 ? BindUnixSocket(config.Api.UnixSocket) : null;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // The host's defaults would make the current directory its content root and watch appsettings.json there
            // for changes, through a FileSystemWatcher over that whole tree: an inotify watch for every directory under
            // wherever the node was started (a repository, a volume, /), and every event in it read and matched. A node
            // has no appsettings (config.yaml has its own watcher), so its root is the install directory, unwatched.
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggers));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The host's start failures reach the node as exceptions (and become NodeStartException or a clean stop);
        // its own "failed to start" line would only repeat them, or call a SIGTERM during start an error.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(endpoint, l =>
            {
                if (config.Api.Tls)
                    l.UseHttps(certificate!);
            });
            if (unixSocket is not null) // Kestrel gets its own descriptor of the socket: it and we each close ours
                o.ListenHandle((ulong)Lockstep.FileSystem.Native.NativeFile.DuplicateDescriptor(unixSocket.Handle));
        });
        if (!config.Api.CorsOrigins.IsEmpty)
            builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins([.. config.Api.CorsOrigins]).AllowAnyHeader().AllowAnyMethod()));
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(5)); // event streams end on ApplicationStopping; nothing else runs long
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Lockstep node API";
            document.Info.Version = Lockstep.Node.Peers.PeerManager.ClientVersion;
            document.Info.Description = "Syncthing's REST paths and JSON names where Syncthing has the endpoint (/rest/...), Lockstep's own " +
                                        "under /rest/lockstep/, the SyncMesh-shaped /api/v1/, events, /metrics and the health probes. Send the API key as " +
                                        "X-API-Key or Authorization: Bearer (not needed for /healthz, /readyz, /rest/noauth/health, /api/v1/health).";
            return Task.CompletedTask;
        }));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, Lockstep.Contracts.ContractsJsonContext.Default));
        var app = builder.Build();
        if (!config.Api.CorsOrigins.IsEmpty)
            app.UseCors(); // before the key check: it answers preflight requests, which carry no key
        app.Use(ApiKeyCheck.Middleware(config.Api.Key, config.Api.MetricsNoAuth));
        var routes = new ApiRoutes(node, config);
        routes.Map(app);
        app.MapOpenApi("/openapi/{documentName}.json"); // /openapi/v1.json describes every route above
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false); // a half-started server lets go of its socket
            unixSocket?.Dispose();
            throw;
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => a.StartsWith("http", StringComparison.Ordinal) && !a.Contains("unix:", StringComparison.Ordinal));
        return new ApiServer(app, new Uri(bound).Authority, config.Api.Tls, unixSocket);
    }

    /// <summary>
    /// The UNIX socket, bound and made 0600 before it listens, so no other user can connect even for a moment. A stale
    /// socket left by a node that died is replaced; any other file at that path is an error naming it.
    /// </summary>
    private static Socket BindUnixSocket(string path)
    {
        if (!Lockstep.FileSystem.Native.NativeFile.IsAbsent(path))
        {
            if (!IsSocket(path))
                throw new NodeStartException($"api.unixSocket {path} exists and is not a socket; remove it or choose another path");
            File.Delete(path);
        }
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            socket.Listen(512);
            return socket;
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            socket.Dispose();
            throw new NodeStartException($"the REST API cannot listen on the UNIX socket {path}: {e.Message}; fix api.unixSocket or the directory's permissions");
        }
    }

    private static bool IsSocket(string path) =>
        Lockstep.FileSystem.Native.NativeFile.TryLstat(path, out var stat, out _) && stat.IsSocket;

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
        if (_unixSocket is not null)
        {
            var path = (_unixSocket.LocalEndPoint as UnixDomainSocketEndPoint)?.ToString();
            _unixSocket.Dispose();
            if (!string.IsNullOrEmpty(path))
                File.Delete(path);
        }
    }
}
