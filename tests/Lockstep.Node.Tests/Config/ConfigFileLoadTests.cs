using Lockstep.Node.Config;
using static Lockstep.Node.Tests.Config.ConfigSamples;

namespace Lockstep.Node.Tests.Config;

public sealed class ConfigFileLoadTests : IDisposable
{
    private static readonly Dictionary<string, string?> NoEnvironment = new();
    private readonly ConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_architecture_example_loads_with_every_value()
    {
        var config = ConfigFile.Load(_dir.Write(Example), NoEnvironment);

        Assert.Equal("node-a", config.Name);
        Assert.Equal("tcp://0.0.0.0:22001", config.Listen);
        Assert.Equal("127.0.0.1:8385", config.Api.Address);
        Assert.Equal("9f2c4e1a7b...", config.Api.Key);
        var device = Assert.Single(config.Devices);
        Assert.Equal(A, device.Id);
        Assert.Equal("node-b", device.Name);
        Assert.Equal(["tcp://node-b.example:22001"], device.Addresses.ToArray());
        Assert.False(device.Introducer);
        Assert.Equal(Compression.Metadata, device.Compression);
        var folder = Assert.Single(config.Folders);
        Assert.Equal("photos", folder.Id);
        Assert.Equal("Photos", folder.Label);
        Assert.Equal("/srv/photos", folder.Path);
        Assert.Equal(FolderType.SendReceive, folder.Type);
        Assert.Equal([A], folder.Devices.ToArray());
        Assert.Equal(TimeSpan.FromHours(1), folder.RescanInterval);
        Assert.True(folder.FsWatcherEnabled);
        Assert.Equal(TimeSpan.FromMilliseconds(50), folder.FsWatcherDelay);
        Assert.False(folder.IgnorePerms);
        Assert.Equal(10, folder.MaxConflicts);
    }

    [Fact]
    public void Missing_keys_take_their_defaults()
    {
        var config = ConfigFile.Load(_dir.Write("""
            api:
              key: k
            devices:
              - id: MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD
            folders:
              - id: docs
                path: /srv/docs
            """), NoEnvironment);

        Assert.Equal("", config.Name);
        Assert.Equal(NodeConfig.DefaultListen, config.Listen);
        Assert.Equal("tcp://0.0.0.0:22001", NodeConfig.DefaultListen);
        Assert.Equal("127.0.0.1:8385", config.Api.Address);
        Assert.False(config.Api.MetricsNoAuth);
        var device = config.Devices.Single();
        Assert.Equal("", device.Name);
        Assert.Empty(device.Addresses);
        Assert.False(device.Introducer);
        Assert.Equal(Compression.Metadata, device.Compression);
        var folder = config.Folders.Single();
        Assert.Equal("", folder.Label);
        Assert.Equal(FolderType.SendReceive, folder.Type);
        Assert.Empty(folder.Devices);
        Assert.Equal(3600, folder.RescanIntervalS);
        Assert.True(folder.FsWatcherEnabled);
        Assert.Equal(0.05, folder.FsWatcherDelayS);
        Assert.False(folder.IgnorePerms);
        Assert.Equal(10, folder.MaxConflicts);
    }

    [Fact]
    public void Empty_sections_and_yaml_nulls_mean_not_set()
    {
        var config = ConfigFile.Load(_dir.Write("""
            name: ~
            listen:
            api:
              key: k
              address: null
            devices:
            folders: []
            """), NoEnvironment);

        Assert.Equal("", config.Name);
        Assert.Equal(NodeConfig.DefaultListen, config.Listen);
        Assert.Equal(ApiConfig.DefaultAddress, config.Api.Address);
        Assert.Empty(config.Devices);
        Assert.Empty(config.Folders);
    }

    [Fact]
    public void Quoted_null_and_numbers_are_text()
    {
        var config = ConfigFile.Load(_dir.Write("name: 'null'\napi:\n  key: '123'\n"), NoEnvironment);

        Assert.Equal("null", config.Name);
        Assert.Equal("123", config.Api.Key);
    }

    [Fact]
    public void Every_enum_spelling_loads()
    {
        var config = ConfigFile.Load(_dir.Write($$"""
            api: {key: k}
            devices:
              - {id: {{IdA}}, compression: never}
              - {id: {{IdB}}, compression: always, introducer: true}
            folders:
              - {id: a, path: /a, type: sendonly}
              - {id: b, path: /b, type: receiveonly}
              - {id: c, path: /c, type: observe}
              - {id: d, path: /d, type: SendReceive}
            """), NoEnvironment);

        Assert.Equal([Compression.Never, Compression.Always], config.Devices.Select(d => d.Compression));
        Assert.True(config.Devices[1].Introducer);
        Assert.Equal([FolderType.SendOnly, FolderType.ReceiveOnly, FolderType.Observe, FolderType.SendReceive],
            config.Folders.Select(f => f.Type));
    }

    [Fact]
    public void Device_ids_load_in_any_spelling_syncthing_accepts()
    {
        var lower = IdA.ToLowerInvariant().Replace("-", "");
        var config = ConfigFile.Load(_dir.Write($"api: {{key: k}}\ndevices: [{{id: {lower}}}]\n"), NoEnvironment);

        Assert.Equal(A, config.Devices.Single().Id);
    }

    [Fact]
    public void Fractional_seconds_are_kept()
    {
        var config = ConfigFile.Load(_dir.Write(OneFolder("rescanIntervalS: 0.5\nfsWatcherDelayS: 2.25")), NoEnvironment);

        Assert.Equal(TimeSpan.FromMilliseconds(500), config.Folders[0].RescanInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(2250), config.Folders[0].FsWatcherDelay);
    }

    [Fact]
    public void Metrics_no_auth_is_read()
    {
        var config = ConfigFile.Load(_dir.Write("api:\n  key: k\n  metricsNoAuth: true\n"), NoEnvironment);

        Assert.True(config.Api.MetricsNoAuth);
    }

    [Fact]
    public void A_missing_file_names_the_file_and_init()
    {
        var path = Path.Combine(_dir.Path, "nope.yaml");

        var e = Assert.Throws<ConfigException>(() => ConfigFile.Load(path, NoEnvironment));

        Assert.Contains(path, e.Message);
        Assert.Contains("lockstep init", e.Message);
    }

    [Fact]
    public void Load_without_an_environment_argument_reads_the_process_environment_without_failing_on_tool_variables()
    {
        // The test host may well have LOCKSTEP_ARTIFACTS set; it must not count as a config override.
        var config = ConfigFile.Load(_dir.Write(OneFolder()));

        Assert.Equal("photos", config.Folders.Single().Id);
    }
}
