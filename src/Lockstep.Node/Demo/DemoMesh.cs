using System.Net;
using System.Net.Sockets;
using Lockstep.Node.Config;
using Lockstep.Node.Home;
using Lockstep.Node.Hosting;
using Lockstep.Protocol.Identity;
using Microsoft.Extensions.Logging;

namespace Lockstep.Node.Demo;

/// <summary>
/// `lockstep demo`: N nodes in this process on 127.0.0.1, each with its own home and a <c>demo</c> folder shared with
/// all the others, every node dialing every other. Homes are kept under the demo directory and reused (identities
/// and indexes survive); ports are picked afresh on every start.
/// </summary>
public sealed class DemoMesh : IAsyncDisposable
{
    public const string FolderId = "demo";

    private readonly List<NodeHost> _hosts = new();
    private readonly List<Task> _runs = new();
    private readonly CancellationTokenSource _stop = new();

    private DemoMesh(IReadOnlyList<DemoNode> nodes) => Nodes = nodes;

    public IReadOnlyList<DemoNode> Nodes { get; }
    public IReadOnlyList<NodeHost> Hosts => _hosts;

    /// <summary>Creates or reuses the homes under <paramref name="directory"/> and writes their mesh configuration.</summary>
    public static DemoMesh Prepare(string directory, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Directory.CreateDirectory(directory);
        var nodes = new List<DemoNode>();
        for (int i = 1; i <= count; i++)
        {
            var name = $"node-{i}";
            var home = new NodeHome(Path.GetFullPath(Path.Combine(directory, name, "home")));
            int port = FreeLoopbackPort(), apiPort = FreeLoopbackPort();
            var id = File.Exists(home.ConfigPath) ? NodeInitializer.ReadDeviceId(home)
                : NodeInitializer.Initialise(home, new NodeInitializer.Options(name, $"tcp://127.0.0.1:{port}", $"127.0.0.1:{apiPort}"));
            var folder = Path.GetFullPath(Path.Combine(directory, name, FolderId));
            nodes.Add(new DemoNode(name, id, home, folder, $"tcp://127.0.0.1:{port}", $"127.0.0.1:{apiPort}", ""));
        }
        var configured = new List<DemoNode>();
        foreach (var node in nodes)
        {
            var config = ConfigFile.LoadWithoutOverrides(node.Home.ConfigPath) with { Listen = node.Address };
            config = config with { Api = config.Api with { Address = node.ApiAddress } };
            foreach (var other in nodes.Where(o => o != node))
                config = config.WithDevice(new DeviceConfig { Id = other.Id, Name = other.Name, Addresses = [other.Address], Compression = Compression.Metadata });
            Sync.Folders.FolderMarker.Create(node.FolderPath);
            config = config.WithFolder(new FolderConfig
            {
                Id = FolderId, Label = "Demo", Path = node.FolderPath,
                Devices = [.. nodes.Where(o => o != node).Select(o => o.Id)],
            });
            ConfigFile.Save(node.Home.ConfigPath, config);
            configured.Add(node with { ApiKey = config.Api.Key });
        }
        return new DemoMesh(configured);
    }

    /// <summary>Starts every node; returns once each listens.</summary>
    public async Task StartAsync(ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        foreach (var node in Nodes)
        {
            var host = new NodeHost(node.Home, loggers);
            _hosts.Add(host);
            _runs.Add(Task.Run(() => host.RunAsync(_stop.Token), CancellationToken.None));
        }
        try
        {
            await Task.WhenAll(_hosts.Select(h => h.Ready)).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("the demo nodes did not start listening within 30 s");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await Task.WhenAll(_runs).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
        }
        foreach (var host in _hosts)
            await host.DisposeAsync();
        _stop.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

/// <summary>One demo node as the demo prints it.</summary>
public sealed record DemoNode(string Name, DeviceId Id, NodeHome Home, string FolderPath, string Address, string ApiAddress, string ApiKey);
