using Lockstep.Node.Config;
using static Lockstep.Node.Tests.Config.ConfigSamples;

namespace Lockstep.Node.Tests.Config;

public sealed class EnvironmentOverrideTests : IDisposable
{
    private readonly ConfigDirectory _dir = new();

    public EnvironmentOverrideTests() => _dir.Write(Example);

    public void Dispose() => _dir.Dispose();

    private NodeConfig Load(params (string Name, string? Value)[] variables) =>
        ConfigFile.Load(_dir.ConfigPath, variables.ToDictionary(v => v.Name, v => v.Value));

    private ConfigException LoadFails(params (string Name, string? Value)[] variables) =>
        Assert.Throws<ConfigException>(() => Load(variables));

    [Fact]
    public void Top_level_scalars_are_overridden()
    {
        var config = Load(("LOCKSTEP_NAME", "node-z"), ("LOCKSTEP_LISTEN", "tcp://127.0.0.1:0"));

        Assert.Equal("node-z", config.Name);
        Assert.Equal("tcp://127.0.0.1:0", config.Listen);
    }

    [Fact]
    public void Api_keys_are_overridden()
    {
        var config = Load(("LOCKSTEP_API__ADDRESS", "127.0.0.1:0"), ("LOCKSTEP_API__KEY", "from-env"));

        Assert.Equal("127.0.0.1:0", config.Api.Address);
        Assert.Equal("from-env", config.Api.Key);
    }

    [Fact]
    public void An_override_can_supply_a_section_the_file_lacks()
    {
        _dir.Write("name: a\n");

        var config = Load(("LOCKSTEP_API__KEY", "k"));

        Assert.Equal("k", config.Api.Key);
        Assert.Equal(ApiConfig.DefaultAddress, config.Api.Address);
    }

    [Fact]
    public void A_folder_is_selected_by_index()
    {
        var config = Load(("LOCKSTEP_FOLDERS__0__RESCANINTERVALS", "60"), ("LOCKSTEP_FOLDERS__0__TYPE", "observe"));

        Assert.Equal(TimeSpan.FromMinutes(1), config.Folders[0].RescanInterval);
        Assert.Equal(FolderType.Observe, config.Folders[0].Type);
        Assert.Equal("/srv/photos", config.Folders[0].Path);
    }

    [Fact]
    public void A_folder_is_selected_by_id()
    {
        var config = Load(("LOCKSTEP_FOLDERS__photos__PATH", "/mnt/photos"));

        Assert.Equal("/mnt/photos", config.Folders[0].Path);
        Assert.Equal(3600, config.Folders[0].RescanIntervalS);
    }

    [Fact]
    public void The_folder_id_matches_case_insensitively()
    {
        var config = Load(("LOCKSTEP_FOLDERS__PHOTOS__MAXCONFLICTS", "3"));

        Assert.Equal(3, config.Folders[0].MaxConflicts);
    }

    [Fact]
    public void The_second_folder_is_reached_by_index_and_by_id()
    {
        _dir.Write(OneFolder() + "  - id: docs\n    path: /srv/docs\n");

        var byIndex = Load(("LOCKSTEP_FOLDERS__1__LABEL", "Docs"));
        var byId = Load(("LOCKSTEP_FOLDERS__docs__LABEL", "Docs"));

        Assert.Equal(["", "Docs"], byIndex.Folders.Select(f => f.Label));
        Assert.Equal(byIndex, byId);
    }

    [Fact]
    public void Names_are_case_insensitive()
    {
        var config = Load(("lockstep_api__address", "127.0.0.2:1"), ("Lockstep_Folders__0__FsWatcherEnabled", "false"));

        Assert.Equal("127.0.0.2:1", config.Api.Address);
        Assert.False(config.Folders[0].FsWatcherEnabled);
    }

    [Fact]
    public void A_device_is_selected_by_index_or_device_id_and_lists_are_comma_separated()
    {
        var byIndex = Load(("LOCKSTEP_DEVICES__0__ADDRESSES", "tcp://a.example:1, tcp://b.example:2"));
        var byId = Load(("LOCKSTEP_DEVICES__" + IdA.Replace("-", "").ToLowerInvariant() + "__NAME", "renamed"));

        Assert.Equal(["tcp://a.example:1", "tcp://b.example:2"], byIndex.Devices[0].Addresses.ToArray());
        Assert.Equal("renamed", byId.Devices[0].Name);
    }

    [Fact]
    public void Text_overrides_are_taken_literally()
    {
        var config = Load(("LOCKSTEP_NAME", "null"));

        Assert.Equal("null", config.Name);
    }

    [Fact]
    public void Cli_and_tool_variables_are_not_overrides()
    {
        var config = Load(
            ("LOCKSTEP_HOME", "/somewhere"),
            ("LOCKSTEP_API_ADDRESS", "http://127.0.0.1:1"),
            ("LOCKSTEP_API_KEY", "cli-key"),
            ("LOCKSTEP_ARTIFACTS", "/tmp/art"),
            ("PATH", "/usr/bin"));

        Assert.Equal(ConfigFile.LoadWithoutOverrides(_dir.ConfigPath), config);
        Assert.Equal("9f2c4e1a7b...", config.Api.Key);
    }

    [Fact]
    public void Load_without_overrides_ignores_the_environment_for_editing()
    {
        var overridden = Load(("LOCKSTEP_NAME", "from-env"));
        var forEditing = ConfigFile.LoadWithoutOverrides(_dir.ConfigPath);

        Assert.Equal("from-env", overridden.Name);
        Assert.Equal("node-a", forEditing.Name);
    }

    [Fact]
    public void An_unknown_key_is_an_error_with_a_suggestion()
    {
        var e = LoadFails(("LOCKSTEP_API__ADRESS", "127.0.0.1:1"));

        Assert.Equal("api.ADRESS", e.Key);
        Assert.Contains("environment variable LOCKSTEP_API__ADRESS", e.Message);
        Assert.Contains("did you mean 'address'?", e.Message);
        Assert.Contains(_dir.ConfigPath, e.Message);
    }

    [Fact]
    public void An_unknown_folder_key_is_an_error_with_a_suggestion()
    {
        var e = LoadFails(("LOCKSTEP_FOLDERS__0__RESCANINTERVAL", "60"));

        Assert.Equal("folders[0].RESCANINTERVAL", e.Key);
        Assert.Contains("did you mean 'rescanIntervalS'?", e.Message);
    }

    [Fact]
    public void An_unknown_section_is_an_error()
    {
        var e = LoadFails(("LOCKSTEP_WEBUI__ADDRESS", "x"));

        Assert.Equal("WEBUI", e.Key);
        Assert.Contains("name, listen, logLevel, api, devices, folders", e.Message);
    }

    [Fact]
    public void A_near_miss_of_a_top_level_key_is_reported()
    {
        var e = LoadFails(("LOCKSTEP_LISTN", "tcp://0.0.0.0:1"));

        Assert.Contains("did you mean 'listen'?", e.Message);
        Assert.Contains("LOCKSTEP_LISTN", e.Message);
    }

    [Fact]
    public void Naming_a_section_instead_of_a_key_is_an_error()
    {
        var e = LoadFails(("LOCKSTEP_API", "127.0.0.1:1"));

        Assert.Contains("LOCKSTEP_API__ADDRESS", e.Message);
    }

    [Fact]
    public void Naming_a_folder_without_a_key_is_an_error()
    {
        var e = LoadFails(("LOCKSTEP_FOLDERS__0", "/x"));

        Assert.Contains("LOCKSTEP_FOLDERS__0__PATH", e.Message);
    }

    [Fact]
    public void A_missing_entry_is_an_error_listing_the_ids()
    {
        var e = LoadFails(("LOCKSTEP_FOLDERS__5__PATH", "/x"));

        Assert.Contains("'5'", e.Message);
        Assert.Contains("photos", e.Message);
        Assert.Contains("do not add new ones", e.Message);
    }

    [Fact]
    public void An_index_that_is_another_folders_id_is_ambiguous()
    {
        _dir.Write("api: {key: k}\nfolders:\n  - {id: '1', path: /a}\n  - {id: b, path: /b}\n");

        var e = LoadFails(("LOCKSTEP_FOLDERS__1__LABEL", "x"));

        Assert.Contains("both the index of folders[1] and the id of folders[0]", e.Message);
    }

    [Fact]
    public void A_bad_override_value_names_the_variable_and_key()
    {
        var e = LoadFails(("LOCKSTEP_FOLDERS__photos__MAXCONFLICTS", "ten"));

        Assert.Equal("folders[0].maxConflicts", e.Key);
        Assert.Equal("ten", e.Value);
        Assert.Contains("environment variable LOCKSTEP_FOLDERS__photos__MAXCONFLICTS", e.Message);
    }

    [Fact]
    public void A_value_that_fails_validation_is_blamed_on_its_variable()
    {
        var e = LoadFails(("LOCKSTEP_LISTEN", "0.0.0.0:22001"));

        Assert.Equal("listen", e.Key);
        Assert.Contains("environment variable LOCKSTEP_LISTEN", e.Message);
        Assert.Contains("tcp://0.0.0.0:22001", e.Message);
    }

    [Fact]
    public void The_same_key_set_twice_is_an_error()
    {
        var e = LoadFails(("LOCKSTEP_NAME", "a"), ("lockstep_name", "b"));

        Assert.Contains("both LOCKSTEP_NAME and lockstep_name set name", e.Message);
    }

    [Fact]
    public void An_empty_part_in_the_name_is_an_error()
    {
        var e = LoadFails(("LOCKSTEP_API____KEY", "k"));

        Assert.Contains("empty part", e.Message);
    }

    [Fact]
    public void A_null_value_counts_as_unset()
    {
        var config = Load(("LOCKSTEP_NAME", null));

        Assert.Equal("node-a", config.Name);
    }
}
