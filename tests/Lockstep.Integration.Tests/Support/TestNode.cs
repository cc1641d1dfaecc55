using System.Collections.Immutable;
using Lockstep.Node.Config;
using Lockstep.Node.Home;
using Lockstep.Node.Hosting;
using Lockstep.Protocol.Identity;
using Microsoft.Extensions.Logging;

using Lockstep.Testing;

namespace Lockstep.Integration.Tests.Support;

/// <summary>
/// A real node in this process: its own home (identity, config, SQLite index) and folders under a temp
/// directory, listening on 127.0.0.1. Configure with <see cref="Configure"/> before <see cref="StartAsync"/>.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private CancellationTokenSource _stop = new();
    private NodeHost? _host;
    private Task? _run;

    private TestNode(TempDirectory dir, NodeHome home, DeviceId id, int port)
    {
        _dir = dir;
        Home = home;
        Id = id;
        Port = port;
    }

    public NodeHome Home { get; }
    public DeviceId Id { get; }
    public int Port { get; }
    public string Address => $"tcp://127.0.0.1:{Port}";
    public NodeHost Host => _host ?? throw new InvalidOperationException("the node is not started");
    public ListLoggerProvider Logs { get; } = new();

    /// <summary>How the node restarts crashed folder workers (the default unless a test wants it quicker).</summary>
    public SupervisorPolicy? Supervision { get; set; }

    public static TestNode Create(string name)
    {
        var dir = new TempDirectory("node-" + name);
        var home = new NodeHome(dir.Combine("home"));
        int port = FreePort.Next();
        var id = NodeInitializer.Initialise(home, new NodeInitializer.Options(name, $"tcp://127.0.0.1:{port}", "127.0.0.1:0"));
        return new TestNode(dir, home, id, port);
    }

    /// <summary>The folder's path on this node (created with its marker by <see cref="AddFolder"/>).</summary>
    public string FolderPath(string folderId) => _dir.Combine("folders", folderId);

    public void Configure(Func<NodeConfig, NodeConfig> change) =>
        ConfigFile.Save(Home.ConfigPath, change(ConfigFile.LoadWithoutOverrides(Home.ConfigPath)));

    /// <summary>Adds a device (dialed at <paramref name="address"/>, or never when null).</summary>
    public void AddDevice(TestNode other, bool dial = true) => Configure(c => c.WithDevice(new DeviceConfig
    {
        Id = other.Id, Name = Path.GetFileName(other._dir.Path), Addresses = dial ? [other.Address] : ["dynamic"],
        Compression = Compression.Metadata,
    }));

    /// <summary>Adds any device (a Syncthing peer, say), dialed at <paramref name="address"/> or never when null.</summary>
    public void AddDevice(DeviceId id, string name, string? address, Compression compression = Compression.Metadata) =>
        Configure(c => c.WithDevice(new DeviceConfig
        {
            Id = id, Name = name, Addresses = address is null ? ["dynamic"] : [address], Compression = compression,
        }));

    public void AddFolder(string folderId, params TestNode[] sharedWith) => AddFolder(folderId, sharedWith.Select(n => n.Id).ToArray());

    public void AddFolder(string folderId, params DeviceId[] sharedWith) => AddFolder(folderId, FolderType.SendReceive, sharedWith);

    /// <summary>Every node knows every other (each dials each) and shares <paramref name="folderId"/> with all of them.</summary>
    public static void Share(string folderId, params TestNode[] nodes)
    {
        foreach (var node in nodes)
        {
            foreach (var other in nodes.Where(o => o != node))
                node.AddDevice(other);
            node.AddFolder(folderId, nodes.Where(o => o != node).ToArray());
        }
    }

    /// <summary>A file's text in a folder of this node, or null while it is absent or being replaced.</summary>
    public string? Read(string folderId, string name)
    {
        try
        {
            return File.ReadAllText(Path.Combine(FolderPath(folderId), name));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void AddFolder(string folderId, FolderType type, params TestNode[] sharedWith) => AddFolder(folderId, type, sharedWith.Select(n => n.Id).ToArray());

    public void AddFolder(string folderId, FolderType type, params DeviceId[] sharedWith)
    {
        var path = FolderPath(folderId);
        Lockstep.Sync.Folders.FolderMarker.Create(path);
        Configure(c => c.WithFolder(new FolderConfig
        {
            Id = folderId, Label = folderId, Path = path, Devices = sharedWith.ToImmutableArray(), Type = type,
            FsWatcherEnabled = true, FsWatcherDelayS = 0.05,
        }));
    }

    public async Task StartAsync()
    {
        _stop = new CancellationTokenSource();
        var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs));
        _host = new NodeHost(Home, loggers, Supervision);
        _run = Task.Run(() => _host.RunAsync(_stop.Token));
        await _host.Ready.WaitAsync(TimeSpan.FromSeconds(30)); // rethrows why the node could not start
    }

    public async Task StopAsync()
    {
        _stop.Cancel();
        if (_run is not null)
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
        if (_host is not null)
            await _host.DisposeAsync();
        _host = null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _dir.Dispose();
        }
    }
}
