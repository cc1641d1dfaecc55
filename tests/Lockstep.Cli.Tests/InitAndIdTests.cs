using Lockstep.Testing;

namespace Lockstep.Cli.Tests;

public sealed class InitAndIdTests : IDisposable
{
    private readonly TempDirectory _dir = new("cli");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Init_writes_identity_key_and_config_and_prints_the_bare_device_id()
    {
        var (home, id) = await Cli.InitAsync(_dir);
        Assert.Matches("^[A-Z2-7]{7}(-[A-Z2-7]{7}){7}$", id);
        Assert.True(File.Exists(Path.Combine(home, "cert.pem")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(home, "key.pem")));
        var yaml = File.ReadAllText(Path.Combine(home, "config.yaml"));
        Assert.Contains("name: node-a", yaml);
        Assert.Matches(@"key: ""?[0-9a-f]{32,}", yaml);
        var again = await Cli.RunAsync("id", "--home", home);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(id + "\n", again.Stdout);
        var byCert = await Cli.RunAsync("id", "--cert", Path.Combine(home, "cert.pem"));
        Assert.Equal(id, byCert.Stdout.Trim());
    }

    [Fact]
    public async Task Init_refuses_an_initialised_home_naming_the_file()
    {
        var (home, _) = await Cli.InitAsync(_dir);
        var r = await Cli.RunAsync("init", "--home", home);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(Path.Combine(home, "cert.pem"), r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task Init_refuses_a_home_holding_only_a_config()
    {
        var home = _dir.Combine("h2");
        Directory.CreateDirectory(home);
        File.WriteAllText(Path.Combine(home, "config.yaml"), "name: x\n");
        var r = await Cli.RunAsync("init", "--home", home);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("config.yaml", r.Stderr);
        Assert.False(File.Exists(Path.Combine(home, "cert.pem")));
    }

    [Fact]
    public async Task Home_defaults_to_LOCKSTEP_HOME_then_XDG_STATE_HOME()
    {
        var viaEnv = _dir.Combine("env-home");
        var r = await Cli.RunAsync(["init"], new Dictionary<string, string?> { ["LOCKSTEP_HOME"] = viaEnv });
        Assert.Equal(0, r.ExitCode);
        Assert.True(File.Exists(Path.Combine(viaEnv, "cert.pem")));

        var xdg = _dir.Combine("xdg");
        var r2 = await Cli.RunAsync(["init"], new Dictionary<string, string?> { ["XDG_STATE_HOME"] = xdg });
        Assert.Equal(0, r2.ExitCode);
        Assert.True(File.Exists(Path.Combine(xdg, "lockstep", "cert.pem")));
    }

    [Fact]
    public async Task Id_of_a_syncthing_certificate_matches_what_syncthing_reports()
    {
        Assert.True(Syncthing.Executable is not null, "syncthing is not installed; ./test installs it");
        var stHome = _dir.Combine("st");
        var expected = await Syncthing.GenerateAsync(stHome);
        var r = await Cli.RunAsync("id", "--cert", Path.Combine(stHome, "cert.pem"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(expected + "\n", r.Stdout);
    }

    [Fact]
    public async Task Id_explains_a_missing_or_bad_certificate()
    {
        var missing = await Cli.RunAsync("id", "--cert", _dir.Combine("nope.pem"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nope.pem", missing.Stderr);
        var bad = _dir.Write("bad.pem", "not a certificate");
        var r = await Cli.RunAsync("id", "--cert", bad);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("bad.pem", r.Stderr);
        var noHome = await Cli.RunAsync("id", "--home", _dir.Combine("empty"));
        Assert.Equal(2, noHome.ExitCode);
        Assert.Contains("lockstep init", noHome.Stderr);
    }

    [Fact]
    public async Task Usage_errors_exit_2()
    {
        var unknown = await Cli.RunAsync("frobnicate");
        Assert.Equal(2, unknown.ExitCode);
        var missingOption = await Cli.RunAsync("device", "add", "--home", _dir.Path);
        Assert.Equal(2, missingOption.ExitCode);
        Assert.Contains("--id", missingOption.Stderr);
        var demo = await Cli.RunAsync("demo", "--nodes", "0");
        Assert.Equal(2, demo.ExitCode);
        Assert.Contains("--nodes", demo.Stderr);
    }
}
