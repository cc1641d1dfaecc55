using Lockstep.Node.Config;
using static Lockstep.Node.Tests.Config.ConfigSamples;

namespace Lockstep.Node.Tests.Config;

/// <summary>Each bad file must fail with a message that names the file, the key, the bad value and the fix.</summary>
public sealed class ConfigValidationTests : IDisposable
{
    private static readonly Dictionary<string, string?> NoEnvironment = new();
    private readonly ConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ConfigException LoadFails(string yaml) =>
        Assert.Throws<ConfigException>(() => ConfigFile.Load(_dir.Write(yaml), NoEnvironment));

    public static TheoryData<string, string, string, string?, string> BadFiles() => new()
    {
        // description, yaml, key, value, fix (a fragment of the message)
        { "unknown key", OneFolder("rescanInterval: 60"), "folders[0].rescanInterval", "rescanInterval", "did you mean 'rescanIntervalS'?" },
        { "wrong case", OneFolder("MaxConflicts: 3"), "folders[0].MaxConflicts", "MaxConflicts", "did you mean 'maxConflicts'?" },
        { "unknown top key", "lisen: tcp://0.0.0.0:1\napi: {key: k}\n", "lisen", "lisen", "did you mean 'listen'?" },
        { "unknown key, nothing close", "api: {key: k, frobnicate: 1}\n", "api.frobnicate", "frobnicate", "address, key, metricsNoAuth" },
        { "text for an integer", OneFolder("maxConflicts: ten"), "folders[0].maxConflicts", "ten", "maxConflicts: 10" },
        { "fraction for an integer", OneFolder("maxConflicts: 1.5"), "folders[0].maxConflicts", "1.5", "maxConflicts: 10" },
        { "text for seconds", OneFolder("rescanIntervalS: 1h"), "folders[0].rescanIntervalS", "1h", "rescanIntervalS: 60" },
        { "text for a boolean", OneFolder("fsWatcherEnabled: maybe"), "folders[0].fsWatcherEnabled", "maybe", "true or fsWatcherEnabled: false" },
        { "scalar for a list", OneFolder($"devices: {IdA}"), "folders[0].devices", IdA, "devices: [first, second]" },
        { "scalar for the folder list", "api: {key: k}\nfolders: photos\n", "folders", "photos", "a list of folders" },
        { "scalar for api", "api: 127.0.0.1:8385\n", "api", "127.0.0.1:8385", "address: and key: indented" },
        { "duplicate folder id", OneFolder() + "  - id: photos\n    path: /srv/other\n", "folders[1].id", "photos", "each folder id may appear once" },
        { "duplicate device id", $"api: {{key: k}}\ndevices:\n  - id: {IdA}\n  - id: {IdA.ToLowerInvariant()}\n", "devices[1].id", IdA, "each device may appear once" },
        { "empty folder id", OneFolder().Replace("id: photos", "id: ''"), "folders[0].id", "", "e.g. id: photos" },
        { "missing folder path", "api: {key: k}\nfolders:\n  - id: photos\n", "folders[0].path", "", "e.g. path: /srv/photos" },
        { "relative folder path", OneFolder(path: "photos"), "folders[0].path", "photos", "must be absolute, e.g. /srv/photos" },
        { "home-relative path", OneFolder(path: "~/photos"), "folders[0].path", "~/photos", "must be absolute, e.g. /srv/photos" },
        { "folder inside another", OneFolder() + "  - id: raw\n    path: /srv/photos/raw\n", "folders[1].path", "/srv/photos/raw", "is inside folders[0].path '/srv/photos'" },
        { "folder containing another", OneFolder(path: "/srv/photos/raw/") + "  - id: all\n    path: /srv/photos\n", "folders[1].path", "/srv/photos", "contains folders[0].path '/srv/photos/raw/'" },
        { "nested through ..", OneFolder(path: "/srv/photos") + "  - id: raw\n    path: /srv/x/../photos/raw\n", "folders[1].path", "/srv/x/../photos/raw", "is inside folders[0].path" },
        { "same directory", OneFolder(path: "/srv/photos/") + "  - id: again\n    path: /srv//photos\n", "folders[1].path", "/srv//photos", "is the same directory as folders[0].path" },
        { "wrong check character", $"api: {{key: k}}\ndevices:\n  - id: {IdAWithBadCheckInGroup4}\n", "devices[0].id", IdAWithBadCheckInGroup4, "wrong check character in group 4" },
        { "short device id", "api: {key: k}\ndevices:\n  - id: ABCDEFG-HIJ\n", "devices[0].id", "ABCDEFG-HIJ", "lockstep id" },
        { "missing device id", "api: {key: k}\ndevices:\n  - name: b\n", "devices[0].id", null, "id: MFZWI3D" },
        { "bad id in a folder's devices", OneFolder($"devices: [{IdAWithBadCheckInGroup4}]"), "folders[0].devices[0]", IdAWithBadCheckInGroup4, "group 4" },
        { "folder shared with an unknown device", OneFolder($"devices: [{IdB}]"), "folders[0].devices[0]", IdB, $"lockstep device add --id {IdB}" },
        { "device listed twice in a folder", OneFolder($"devices: [{IdA}, {IdA}]"), "folders[0].devices[1]", IdA, "list each device once" },
        { "bad folder type", OneFolder("type: twoway"), "folders[0].type", "twoway", "sendreceive, sendonly, receiveonly, observe" },
        { "bad compression", $"api: {{key: k}}\ndevices:\n  - id: {IdA}\n    compression: lz4\n", "devices[0].compression", "lz4", "metadata, never, always" },
        { "listen without scheme", "listen: 0.0.0.0:22001\napi: {key: k}\n", "listen", "0.0.0.0:22001", "tcp://0.0.0.0:22001" },
        { "listen without port", "listen: tcp://0.0.0.0\napi: {key: k}\n", "listen", "tcp://0.0.0.0", "has no port" },
        { "listen port too big", "listen: tcp://0.0.0.0:70000\napi: {key: k}\n", "listen", "tcp://0.0.0.0:70000", "tcp://HOST:PORT" },
        { "listen bare IPv6", "listen: tcp://::1:22001\napi: {key: k}\n", "listen", "tcp://::1:22001", "without brackets" },
        { "api address with scheme", "api: {key: k, address: 'http://127.0.0.1:8385'}\n", "api.address", "http://127.0.0.1:8385", "(no http://)" },
        { "api address without port", "api: {key: k, address: localhost}\n", "api.address", "localhost", "e.g. address: 127.0.0.1:8385" },
        { "api address bad port", "api: {key: k, address: 'localhost:http'}\n", "api.address", "localhost:http", "invalid port 'http'" },
        { "device address without scheme", $"api: {{key: k}}\ndevices:\n  - id: {IdA}\n    addresses: ['node-b:22001']\n", "devices[0].addresses[0]", "node-b:22001", "tcp://node-b.example:22001" },
        { "device address port 0", $"api: {{key: k}}\ndevices:\n  - id: {IdA}\n    addresses: ['tcp://node-b:0']\n", "devices[0].addresses[0]", "tcp://node-b:0", "outside 1–65535" },
        { "negative rescan interval", OneFolder("rescanIntervalS: -1"), "folders[0].rescanIntervalS", "-1", "rescanIntervalS: 3600" },
        { "huge rescan interval", OneFolder("rescanIntervalS: 1e12"), "folders[0].rescanIntervalS", "1000000000000", "a year" },
        { "negative watcher delay", OneFolder("fsWatcherDelayS: -0.5"), "folders[0].fsWatcherDelayS", "-0.5", "0 to 3600 seconds" },
        { "long watcher delay", OneFolder("fsWatcherDelayS: 7200"), "folders[0].fsWatcherDelayS", "7200", "fsWatcherDelayS: 0.05" },
        { "max conflicts below -1", OneFolder("maxConflicts: -2"), "folders[0].maxConflicts", "-2", "-1 (keep every conflict copy)" },
        { "delete limit over 100", OneFolder("maxDeletePercent: 150"), "folders[0].maxDeletePercent", "150", "maxDeletePercent: 50" },
        { "unknown pull order", OneFolder("order: biggest"), "folders[0].order", "biggest", "largestFirst" },
        { "tiny puller budget", OneFolder("pullerMaxPendingKiB: 4"), "folders[0].pullerMaxPendingKiB", "4", "pullerMaxPendingKiB: 32768" },
        { "empty api key", "api:\n  key: ''\n", "api.key", "", "LOCKSTEP_API__KEY" },
        { "missing api key", "name: a\n", "api.key", "", "`lockstep init` writes one" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_file_names_the_file_key_value_and_fix(string description, string yaml, string key, string? value, string fix)
    {
        var e = LoadFails(yaml);

        Assert.True(e.Key == key, $"{description}: key '{e.Key}', expected '{key}' — {e.Message}");
        Assert.True(e.Value == value, $"{description}: value '{e.Value}', expected '{value}' — {e.Message}");
        Assert.Contains(_dir.ConfigPath, e.Message);
        Assert.Contains(key, e.Message);
        Assert.Contains(value ?? "", e.Message);
        Assert.Contains(fix, e.Message);
    }

    [Fact]
    public void A_yaml_syntax_error_gives_line_and_column()
    {
        var e = LoadFails("name: a\napi:\n  key: [k\n  address: x\n");

        Assert.Equal("", e.Key);
        Assert.Contains(_dir.ConfigPath, e.Message);
        Assert.Matches(@"\(line \d+, column \d+\)", e.Message);
        Assert.Contains("not valid YAML", e.Message);
    }

    [Fact]
    public void A_tab_indent_says_to_use_spaces()
    {
        var e = LoadFails("api:\n\tkey: k\n");

        Assert.Contains("indent with spaces", e.Message);
        Assert.Contains("line", e.Message);
    }

    [Fact]
    public void A_key_given_twice_is_a_syntax_error_naming_the_key()
    {
        var e = LoadFails("name: a\nname: b\napi: {key: k}\n");

        Assert.Contains("Duplicate key", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("name", e.Message);
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void Several_documents_are_refused()
    {
        var e = LoadFails("name: a\n---\nname: b\n");

        Assert.Contains("2 YAML documents", e.Message);
        Assert.Contains("'---'", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_mapping_is_refused()
    {
        var e = LoadFails("- name: a\n");

        Assert.Contains("must be a mapping of keys", e.Message);
        Assert.Contains("name:, listen:", e.Message);
    }

    [Fact]
    public void Type_errors_give_the_line_of_the_value()
    {
        var e = LoadFails(OneFolder("maxConflicts: ten"));

        Assert.Contains("(line 9, column 19)", e.Message);
    }

    [Fact]
    public void Validation_errors_give_the_line_of_the_value()
    {
        // OneFolder puts the folder's path on line 8.
        var e = LoadFails(OneFolder(path: "relative"));

        Assert.Contains("(line 8, column 11)", e.Message);
    }

    [Fact]
    public void The_message_reads_file_location_key_problem_fix()
    {
        var e = LoadFails(OneFolder(path: "photos"));

        Assert.Equal(
            $"{_dir.ConfigPath} (line 8, column 11): folders[0].path: 'photos' is a relative path; a folder path must be absolute, e.g. /srv/photos",
            e.Message);
    }

    [Theory]
    [InlineData("tcp://0.0.0.0:0")]
    [InlineData("tcp://[::]:22001")]
    [InlineData("tcp://node_a:22001")]
    [InlineData("tcp://localhost:65535")]
    public void Good_listen_addresses_load(string listen)
    {
        var config = ConfigFile.Load(_dir.Write($"listen: '{listen}'\napi: {{key: k}}\n"), NoEnvironment);

        Assert.Equal(listen, config.Listen);
    }

    [Theory]
    [InlineData("127.0.0.1:0")]
    [InlineData("[::1]:8385")]
    [InlineData("localhost:8385")]
    public void Good_api_addresses_load(string address)
    {
        var config = ConfigFile.Load(_dir.Write($"api: {{key: k, address: '{address}'}}\n"), NoEnvironment);

        Assert.Equal(address, config.Api.Address);
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(-1, "-1")]
    public void Boundary_values_load(int maxConflicts, string text)
    {
        var config = ConfigFile.Load(_dir.Write(OneFolder($"maxConflicts: {text}\nrescanIntervalS: 0\nfsWatcherDelayS: 3600")), NoEnvironment);

        Assert.Equal(maxConflicts, config.Folders[0].MaxConflicts);
        Assert.Equal(TimeSpan.Zero, config.Folders[0].RescanInterval);
        Assert.Equal(TimeSpan.FromHours(1), config.Folders[0].FsWatcherDelay);
    }

    [Fact]
    public void Sibling_folders_with_a_common_prefix_do_not_overlap()
    {
        var config = ConfigFile.Load(_dir.Write(OneFolder(path: "/srv/photos") + "  - id: more\n    path: /srv/photos2\n"), NoEnvironment);

        Assert.Equal(2, config.Folders.Length);
    }

    [Fact]
    public void Validate_catches_values_set_in_code()
    {
        var config = NodeConfig.Default("a", "k") with
        {
            Folders = [new FolderConfig { Id = "x", Path = "/x", Type = (FolderType)42 }],
        };

        var e = Assert.Throws<ConfigException>(config.Validate);

        Assert.Equal("folders[0].type", e.Key);
        Assert.Contains("sendreceive, sendonly, receiveonly, observe", e.Message);
    }

    [Fact]
    public void An_empty_device_id_set_in_code_is_refused()
    {
        var config = NodeConfig.Default("a", "k") with { Devices = [new DeviceConfig { Id = default }] };

        var e = Assert.Throws<ConfigException>(config.Validate);

        Assert.Equal("devices[0].id", e.Key);
        Assert.Contains("lockstep id", e.Message);
    }
}
