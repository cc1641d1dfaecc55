using System.Collections.Immutable;
using Lockstep.Node.Config;
using static Lockstep.Node.Tests.Config.ConfigSamples;

namespace Lockstep.Node.Tests.Config;

public sealed class ConfigFileSaveTests : IDisposable
{
    private readonly ConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static NodeConfig Rich() => new()
    {
        Name = "node: a #1",
        Listen = "tcp://[::1]:0",
        Api = new ApiConfig { Address = "0.0.0.0:9000", Key = "yes", MetricsNoAuth = true },
        Devices =
        [
            new DeviceConfig { Id = A, Name = "node-b", Addresses = ["tcp://node-b.example:22001", "dynamic"], Introducer = true, Compression = Compression.Always },
            new DeviceConfig { Id = B, Name = "", Compression = Compression.Never },
            new DeviceConfig { Id = C, Name = "Ünïcode 設備" },
        ],
        Folders =
        [
            new FolderConfig
            {
                Id = "photos", Label = "Photos: 2024", Path = "/srv/my photos", Type = FolderType.ReceiveOnly,
                Devices = [B, A], RescanIntervalS = 0.25, FsWatcherEnabled = false, FsWatcherDelayS = 12.5,
                IgnorePerms = true, MaxConflicts = -1,
            },
            new FolderConfig { Id = "123", Label = "null", Path = "/data/obs", Type = FolderType.Observe, MaxConflicts = 0 },
            new FolderConfig { Id = "-dash", Path = "/data/send", Type = FolderType.SendOnly, Devices = [C] },
        ],
    };

    [Fact]
    public void A_saved_config_loads_back_equal()
    {
        var original = Rich();

        ConfigFile.Save(_dir.ConfigPath, original);
        var loaded = ConfigFile.LoadWithoutOverrides(_dir.ConfigPath);

        Assert.Equal(original, loaded);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("No")]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("0x1F")]
    [InlineData("1e3")]
    [InlineData("22:00")]
    [InlineData("- not a list")]
    [InlineData("key: value")]
    [InlineData("hash # tag")]
    [InlineData("'quoted'")]
    [InlineData("\"double\"")]
    [InlineData("[brackets]")]
    [InlineData("{braces}")]
    [InlineData("  padded  ")]
    [InlineData("line\nbreak")]
    [InlineData("*alias")]
    [InlineData("&anchor")]
    [InlineData("!tag")]
    [InlineData("%directive")]
    [InlineData("@at")]
    public void Any_text_survives_a_round_trip(string text)
    {
        var original = NodeConfig.Default(text, "key " + text) with
        {
            Devices = [new DeviceConfig { Id = A, Name = text }],
            Folders = [new FolderConfig { Id = "f" + text, Label = text, Path = "/srv/" + text.Replace('\n', '_') }],
        };

        ConfigFile.Save(_dir.ConfigPath, original);

        Assert.Equal(original, ConfigFile.LoadWithoutOverrides(_dir.ConfigPath));
    }

    [Fact]
    public void The_output_has_the_architecture_shape_and_order()
    {
        var example = ConfigFile.Load(_dir.Write(Example), new Dictionary<string, string?>());

        ConfigFile.Save(_dir.ConfigPath, example);

        var expected = $"""
            # Lockstep node configuration. lockstep rewrites this file when it edits it: comments are not kept.
            # Environment variables override keys: LOCKSTEP_LISTEN, LOCKSTEP_API__ADDRESS, LOCKSTEP_FOLDERS__<id or index>__PATH, ...
            name: node-a
            listen: tcp://0.0.0.0:22001
            api:
              address: 127.0.0.1:8385
              key: 9f2c4e1a7b...
            devices:
              - id: {IdA}
                name: node-b
                addresses: ['tcp://node-b.example:22001']
                introducer: false
                compression: metadata
            folders:
              - id: photos
                label: Photos
                path: /srv/photos
                type: sendreceive
                devices: [{IdA}]
                rescanIntervalS: 3600
                fsWatcherEnabled: true
                fsWatcherDelayS: 0.05
                ignorePerms: false
                maxConflicts: 10
                maxDeletePercent: 50
                order: random
                pullerMaxPendingKiB: 32768

            """;
        Assert.Equal(expected, File.ReadAllText(_dir.ConfigPath));
    }

    [Fact]
    public void A_new_node_writes_empty_lists_and_loads_back()
    {
        var config = NodeConfig.Default("node-a", "k");

        ConfigFile.Save(_dir.ConfigPath, config);

        var text = File.ReadAllText(_dir.ConfigPath);
        Assert.Contains("devices: []\n", text);
        Assert.Contains("folders: []\n", text);
        Assert.DoesNotContain("metricsNoAuth", text);
        Assert.Equal(config, ConfigFile.LoadWithoutOverrides(_dir.ConfigPath));
    }

    [Fact]
    public void The_file_is_private_to_its_owner()
    {
        if (OperatingSystem.IsWindows())
            return; // no Unix modes; the suite runs on Linux (ARCHITECTURE.md §5)

        ConfigFile.Save(_dir.ConfigPath, NodeConfig.Default("a", "secret"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.ConfigPath));
    }

    [Fact]
    public void Replacing_a_world_readable_file_makes_it_private()
    {
        if (OperatingSystem.IsWindows())
            return;
        File.WriteAllText(_dir.ConfigPath, "old");
        File.SetUnixFileMode(_dir.ConfigPath, (UnixFileMode)Convert.ToInt32("644", 8));

        ConfigFile.Save(_dir.ConfigPath, NodeConfig.Default("a", "secret"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.ConfigPath));
        Assert.Contains("key: secret", File.ReadAllText(_dir.ConfigPath));
    }

    [Fact]
    public void Saving_leaves_no_temporary_file()
    {
        ConfigFile.Save(_dir.ConfigPath, Rich());
        ConfigFile.Save(_dir.ConfigPath, NodeConfig.Default("b", "k"));

        Assert.Equal(["config.yaml"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
        Assert.Equal("b", ConfigFile.LoadWithoutOverrides(_dir.ConfigPath).Name);
    }

    [Fact]
    public void An_invalid_config_is_refused_and_the_file_is_left_as_it_was()
    {
        ConfigFile.Save(_dir.ConfigPath, NodeConfig.Default("a", "k"));
        var before = File.ReadAllText(_dir.ConfigPath);
        var invalid = NodeConfig.Default("a", "k") with { Folders = [new FolderConfig { Id = "x", Path = "relative/dir" }] };

        var e = Assert.Throws<ConfigException>(() => ConfigFile.Save(_dir.ConfigPath, invalid));

        Assert.Equal("folders[0].path", e.Key);
        Assert.Contains(_dir.ConfigPath, e.Message);
        Assert.Equal(before, File.ReadAllText(_dir.ConfigPath));
        Assert.Equal(["config.yaml"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Validate_names_the_file_and_writes_nothing()
    {
        var invalid = NodeConfig.Default("a", "k") with { Listen = "22001" };

        var e = Assert.Throws<ConfigException>(() => ConfigFile.Validate(invalid, _dir.ConfigPath));

        Assert.Equal("listen", e.Key);
        Assert.StartsWith($"{_dir.ConfigPath}: listen: '22001'", e.Message);
        Assert.False(File.Exists(_dir.ConfigPath));
    }

    [Fact]
    public void A_failed_write_removes_its_temporary_file()
    {
        // A directory where the file should be: the rename fails after the temp file was written.
        Directory.CreateDirectory(_dir.ConfigPath);

        Assert.ThrowsAny<IOException>(() => ConfigFile.Save(_dir.ConfigPath, NodeConfig.Default("a", "k")));

        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Lists_compare_by_content_so_round_trips_can_be_checked()
    {
        var a = Rich();
        var b = Rich() with { Folders = ImmutableArray.CreateRange(Rich().Folders) };

        Assert.Equal(a, b);
        Assert.NotEqual(a, b with { Folders = b.Folders.RemoveAt(2) });
        Assert.NotEqual(a.Devices[0], a.Devices[0] with { Addresses = ["dynamic"] });
        Assert.NotEqual(a.Folders[0], a.Folders[0] with { Devices = [A, B] });
    }
}
