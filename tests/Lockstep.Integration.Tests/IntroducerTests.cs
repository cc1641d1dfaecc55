using Lockstep.Integration.Tests.Support;
using Lockstep.Node.Config;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>An introducer shares its devices of common folders: b and c, who know only a, end up syncing directly.</summary>
public sealed class IntroducerTests : IAsyncLifetime
{
    private TestNode _a = null!, _b = null!, _c = null!;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public Task InitializeAsync()
    {
        _a = TestNode.Create("a");
        _b = TestNode.Create("b");
        _c = TestNode.Create("c");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _c.DisposeAsync();
    }

    [Fact]
    public async Task Devices_introduced_by_a_common_peer_are_added_shared_and_connected()
    {
        _a.AddDevice(_b);
        _a.AddDevice(_c);
        _a.AddFolder("f", _b, _c);
        foreach (var node in new[] { _b, _c })
        {
            node.AddDevice(_a);
            node.Configure(c => c.WithDevice(c.Devices.Single() with { Introducer = true }));
            node.AddFolder("f", _a);
        }
        await _a.StartAsync();
        await _b.StartAsync();
        await _c.StartAsync();

        await Eventually.TrueAsync(() => _b.Host.Peers!.IsConnected(_c.Id) && _c.Host.Peers!.IsConnected(_b.Id), Patience, "b and c to connect to each other");
        var bConfig = ConfigFile.LoadWithoutOverrides(_b.Home.ConfigPath);
        Assert.Contains(bConfig.Devices, d => d.Id == _c.Id && d.Addresses.Contains(_c.Address));
        Assert.Contains(_c.Id, bConfig.Folders.Single().Devices);
        Assert.Contains(ConfigFile.LoadWithoutOverrides(_c.Home.ConfigPath).Folders.Single().Devices, d => d == _b.Id);

        // With the introducer gone, b and c still sync with each other.
        await _a.StopAsync();
        File.WriteAllText(Path.Combine(_b.FolderPath("f"), "direct.txt"), "b to c");
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(_c.FolderPath("f"), "direct.txt")), Patience, "b's file to reach c without a");
    }
}
