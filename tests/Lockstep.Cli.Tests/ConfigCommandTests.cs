using System.Text.Json;
using Lockstep.Testing;

namespace Lockstep.Cli.Tests;

public sealed class ConfigCommandTests : IDisposable
{
    private const string Peer = "MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD";
    private readonly TempDirectory _dir = new("cfg");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Device_add_list_remove()
    {
        var (home, _) = await Cli.InitAsync(_dir);
        var add = await Cli.RunAsync("device", "add", "--home", home, "--id", Peer.ToLowerInvariant(), "--name", "node-b",
            "--address", "tcp://127.0.0.1:22002", "--address", "tcp://10.1.1.1:22001", "--compression", "never", "--introducer");
        Assert.True(add.ExitCode == 0, add.ToString());
        var list = await Cli.RunAsync("device", "list", "--home", home, "--json");
        using var doc = JsonDocument.Parse(list.Stdout);
        var d = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal(Peer, d.GetProperty("id").GetString());
        Assert.Equal("node-b", d.GetProperty("name").GetString());
        Assert.Equal(2, d.GetProperty("addresses").GetArrayLength());
        Assert.Equal("never", d.GetProperty("compression").GetString());
        Assert.True(d.GetProperty("introducer").GetBoolean());
        var table = await Cli.RunAsync("device", "list", "--home", home);
        Assert.Contains("node-b", table.Stdout);
        var remove = await Cli.RunAsync("device", "remove", "--home", home, "--id", Peer);
        Assert.Equal(0, remove.ExitCode);
        var empty = await Cli.RunAsync("device", "list", "--home", home, "--json");
        Assert.Equal("[]", empty.Stdout.Trim());
    }

    [Fact]
    public async Task A_device_id_with_a_wrong_check_character_is_refused_naming_the_group()
    {
        var (home, _) = await Cli.InitAsync(_dir);
        var typo = "MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAA";
        var r = await Cli.RunAsync("device", "add", "--home", home, "--id", typo);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("group 8", r.Stderr);
    }

    [Fact]
    public async Task Folder_add_creates_the_path_and_marker_share_list_and_remove()
    {
        var (home, _) = await Cli.InitAsync(_dir);
        await Cli.RunAsync("device", "add", "--home", home, "--id", Peer);
        var folder = _dir.Combine("data", "photos");
        var add = await Cli.RunAsync("folder", "add", "--home", home, "--id", "photos", "--path", folder, "--type", "receiveonly", "--rescan", "60");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.True(Directory.Exists(Path.Combine(folder, ".stfolder")));
        var share = await Cli.RunAsync("folder", "share", "--home", home, "--id", "photos", "--device", Peer);
        Assert.True(share.ExitCode == 0, share.ToString());
        var list = await Cli.RunAsync("folder", "list", "--home", home, "--json");
        using var doc = JsonDocument.Parse(list.Stdout);
        var f = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("photos", f.GetProperty("id").GetString());
        Assert.Equal(folder, f.GetProperty("path").GetString());
        Assert.Equal("receiveonly", f.GetProperty("type").GetString());
        Assert.Equal(60, f.GetProperty("rescanIntervalS").GetDouble());
        Assert.Equal(Peer, Assert.Single(f.GetProperty("devices").EnumerateArray()).GetString());
        var yaml = File.ReadAllText(Path.Combine(home, "config.yaml"));
        Assert.Contains("rescanIntervalS", yaml);
        var remove = await Cli.RunAsync("folder", "remove", "--home", home, "--id", "photos");
        Assert.Equal(0, remove.ExitCode);
        Assert.True(Directory.Exists(folder)); // files stay
    }

    [Fact]
    public async Task Folder_add_accepts_an_existing_directory_with_files_and_leaves_them_alone()
    {
        var (home, _) = await Cli.InitAsync(_dir);
        _dir.Write("existing/doc.txt", "keep me");
        var before = TreeSnapshot.Take(_dir.Combine("existing"));
        var r = await Cli.RunAsync("folder", "add", "--home", home, "--id", "docs", "--path", _dir.Combine("existing"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("keep me", File.ReadAllText(_dir.Combine("existing/doc.txt")));
        var after = TreeSnapshot.Take(_dir.Combine("existing")).Split('\n');
        Assert.All(before.Split('\n'), line => Assert.Contains(line, after)); // only the marker was added
        Assert.Contains(after, l => l.StartsWith(".stfolder/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("relative/path", "absolute")]
    public async Task Folder_add_refuses_a_relative_path(string path, string hint)
    {
        var (home, _) = await Cli.InitAsync(_dir);
        var r = await Cli.RunAsync("folder", "add", "--home", home, "--id", "x", "--path", path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(hint, r.Stderr);
    }

    [Fact]
    public async Task Folder_add_refuses_a_nested_folder_and_a_duplicate_id()
    {
        var (home, _) = await Cli.InitAsync(_dir);
        Assert.Equal(0, (await Cli.RunAsync("folder", "add", "--home", home, "--id", "outer", "--path", _dir.Combine("outer"))).ExitCode);
        var nested = await Cli.RunAsync("folder", "add", "--home", home, "--id", "inner", "--path", _dir.Combine("outer", "inner"));
        Assert.Equal(2, nested.ExitCode);
        Assert.Contains("inner", nested.Stderr);
        var dup = await Cli.RunAsync("folder", "add", "--home", home, "--id", "outer", "--path", _dir.Combine("other"));
        Assert.Equal(2, dup.ExitCode);
        Assert.Contains("outer", dup.Stderr);
        Assert.False(Directory.Exists(_dir.Combine("outer", "inner", ".stfolder"))); // nothing created for a refused folder
    }

    [Fact]
    public async Task A_malformed_config_exits_2_naming_the_key_and_the_fix()
    {
        var (home, _) = await Cli.InitAsync(_dir);
        File.AppendAllText(Path.Combine(home, "config.yaml"), "rescanIntervalSeconds: 5\n");
        var r = await Cli.RunAsync("folder", "list", "--home", home);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("rescanIntervalSeconds", r.Stderr);
        Assert.Contains("config.yaml", r.Stderr);
    }

    [Fact]
    public async Task Environment_overrides_apply_on_read_and_never_reach_the_file()
    {
        var (home, _) = await Cli.InitAsync(_dir);
        Assert.Equal(0, (await Cli.RunAsync("folder", "add", "--home", home, "--id", "f", "--path", _dir.Combine("f"))).ExitCode);
        var env = new Dictionary<string, string?> { ["LOCKSTEP_FOLDERS__0__RESCANINTERVALS"] = "7" };
        var list = await Cli.RunAsync(["folder", "list", "--home", home, "--json"], env);
        Assert.Equal(7, JsonDocument.Parse(list.Stdout).RootElement[0].GetProperty("rescanIntervalS").GetDouble());
        Assert.Equal(0, (await Cli.RunAsync(["device", "add", "--home", home, "--id", Peer], env)).ExitCode);
        Assert.DoesNotContain("rescanIntervalS: 7", File.ReadAllText(Path.Combine(home, "config.yaml")));
    }
}
