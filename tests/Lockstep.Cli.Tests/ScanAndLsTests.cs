using System.Globalization;
using System.Text.Json;
using Lockstep.Testing;

namespace Lockstep.Cli.Tests;

public sealed class ScanAndLsTests : IDisposable
{
    private readonly TempDirectory _dir = new("scanls");

    public void Dispose() => _dir.Dispose();

    private async Task<(string Home, string Folder)> SetUpAsync()
    {
        var (home, _) = await Cli.InitAsync(_dir);
        var folder = _dir.Combine("folder");
        var r = await Cli.RunAsync("folder", "add", "--home", home, "--id", "f1", "--path", folder);
        Assert.True(r.ExitCode == 0, r.ToString());
        return (home, folder);
    }

    [Fact]
    public async Task Scan_then_ls_json_shows_the_index_in_bep_terms()
    {
        var (home, folder) = await SetUpAsync();
        _dir.Write("folder/docs/readme.txt", "hello");
        _dir.Write("folder/big.bin", new byte[300_000]);
        File.SetUnixFileMode(_dir.Combine("folder/docs/readme.txt"), (UnixFileMode)0b110_100_000);
        var scan = await Cli.RunAsync("scan", "--home", home, "f1");
        Assert.True(scan.ExitCode == 0, scan.ToString());
        Assert.Contains("3 changed", scan.Stdout);

        var ls = await Cli.RunAsync("ls", "--home", home, "f1", "--json");
        Assert.True(ls.ExitCode == 0, ls.ToString());
        var items = JsonDocument.Parse(ls.Stdout).RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal(["big.bin", "docs", "docs/readme.txt"], items.Keys.Order(StringComparer.Ordinal));
        var readme = items["docs/readme.txt"];
        Assert.Equal("file", readme.GetProperty("type").GetString());
        Assert.Equal(5, readme.GetProperty("size").GetInt64());
        Assert.Equal("0640", readme.GetProperty("permissions").GetString());
        Assert.False(readme.GetProperty("deleted").GetBoolean());
        Assert.False(readme.GetProperty("invalid").GetBoolean());
        Assert.True(readme.GetProperty("sequence").GetInt64() > 0);
        Assert.Equal(131072, readme.GetProperty("blockSize").GetInt32());
        Assert.Equal(1, readme.GetProperty("blocks").GetInt32());
        var version = Assert.Single(readme.GetProperty("version").EnumerateArray());
        Assert.Matches("^[A-Z2-7]{7}$", version.GetProperty("id").GetString());
        Assert.True(version.GetProperty("value").GetUInt64() > 1_700_000_000);
        // RFC 3339 with nine digits of nanoseconds, equal to the file's mtime.
        var modified = readme.GetProperty("modified").GetString()!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$", modified);
        var parsed = DateTimeOffset.Parse(modified[..^4] + "Z", CultureInfo.InvariantCulture);
        Assert.Equal(File.GetLastWriteTimeUtc(_dir.Combine("folder/docs/readme.txt")).Ticks / 100, parsed.UtcTicks / 100);
        Assert.Equal(3, items["big.bin"].GetProperty("blocks").GetInt32());
        Assert.Equal("directory", items["docs"].GetProperty("type").GetString());

        var one = await Cli.RunAsync("ls", "--home", home, "f1", "docs", "--json");
        Assert.Equal(2, JsonDocument.Parse(one.Stdout).RootElement.GetArrayLength());
        var table = await Cli.RunAsync("ls", "--home", home, "f1");
        Assert.Contains("docs/readme.txt", table.Stdout);
    }

    [Fact]
    public async Task Scan_records_deletions_as_tombstones()
    {
        var (home, _) = await SetUpAsync();
        _dir.Write("folder/a.txt", "a");
        await Cli.RunAsync("scan", "--home", home, "f1");
        File.Delete(_dir.Combine("folder/a.txt"));
        var scan = await Cli.RunAsync("scan", "--home", home, "f1", "--json");
        Assert.Equal(1, JsonDocument.Parse(scan.Stdout).RootElement.GetProperty("deleted").GetInt32());
        var ls = await Cli.RunAsync("ls", "--home", home, "f1", "a.txt", "--json");
        Assert.True(JsonDocument.Parse(ls.Stdout).RootElement[0].GetProperty("deleted").GetBoolean());
    }

    [Fact]
    public async Task Scan_of_a_folder_without_its_marker_fails_and_deletes_nothing()
    {
        var (home, folder) = await SetUpAsync();
        _dir.Write("folder/a.txt", "a");
        await Cli.RunAsync("scan", "--home", home, "f1");
        Directory.Delete(Path.Combine(folder, ".stfolder"));
        var r = await Cli.RunAsync("scan", "--home", home, "f1");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("folder marker missing", r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(folder, ".stfolder")));
        Assert.True(File.Exists(Path.Combine(folder, "a.txt")));
    }

    [Fact]
    public async Task Scan_and_ls_of_an_unknown_folder_exit_2()
    {
        var (home, _) = await SetUpAsync();
        var scan = await Cli.RunAsync("scan", "--home", home, "nope");
        Assert.Equal(2, scan.ExitCode);
        Assert.Contains("'nope' is not configured", scan.Stderr);
    }

    [Fact]
    public async Task An_unreadable_file_is_reported_and_the_scan_goes_on()
    {
        // Everything runs as root here, so the scan runs as nobody (ARCHITECTURE.md §5).
        var (home, folder) = await SetUpAsync();
        _dir.Write("folder/readable.txt", "everyone");
        _dir.Write("folder/secret.txt", "root only");
        File.SetUnixFileMode(_dir.Combine("folder/secret.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.CreateDirectory(_dir.Combine("folder/locked"));
        _dir.Write("folder/locked/inside.txt", "x");
        File.SetUnixFileMode(_dir.Combine("folder/locked"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // nobody must be able to use the home and reach the program.
        foreach (var d in new[] { _dir.Path, home, folder })
            File.SetUnixFileMode(d, (UnixFileMode)0b111_111_111);
        foreach (var f in Directory.GetFiles(home))
            File.SetUnixFileMode(f, (UnixFileMode)0b110_110_110);
        var r = await ProcessRunner.RunAsync("setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", Cli.Dll, "scan", "--home", home, "f1"],
            TimeSpan.FromSeconds(120),
            new Dictionary<string, string?> { ["HOME"] = _dir.Path, ["DOTNET_CLI_HOME"] = _dir.Path, ["LOCKSTEP_HOME"] = null });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("secret.txt", r.Stderr);
        Assert.Contains("permission denied", r.Stderr);
        Assert.Contains("locked", r.Stderr);
        var ls = await Cli.RunAsync("ls", "--home", home, "f1", "--json");
        var names = JsonDocument.Parse(ls.Stdout).RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Contains("readable.txt", names);
        Assert.DoesNotContain("secret.txt", names);
        Assert.DoesNotContain("locked/inside.txt", names);
    }

    [Fact]
    public async Task Scan_draws_a_progress_bar_on_a_terminal_and_nothing_extra_when_redirected()
    {
        var (home, _) = await SetUpAsync();
        for (int i = 0; i < 20; i++)
            _dir.Write($"folder/f{i}.bin", new byte[200_000]);
        // util-linux `script` gives the command a pseudo-terminal, as a person's shell would.
        var command = $"dotnet '{Cli.Dll}' scan --home '{home}' f1";
        var tty = await ProcessRunner.RunAsync("script", ["-q", "-e", "-c", command, "/dev/null"], TimeSpan.FromSeconds(120),
            new Dictionary<string, string?> { ["TERM"] = "xterm", ["COLUMNS"] = "120", ["LOCKSTEP_HOME"] = null });
        Assert.True(tty.ExitCode == 0, tty.ToString());
        Assert.Contains("hashing", tty.Stdout);
        Assert.Contains("20/20 files", tty.Stdout);
        Assert.Contains("━", tty.Stdout); // the bar itself
        Assert.Contains("20 changed", tty.Stdout);

        File.WriteAllBytes(_dir.Combine("folder/f0.bin"), new byte[10]);
        var redirected = await Cli.RunAsync("scan", "--home", home, "f1");
        Assert.Equal(0, redirected.ExitCode);
        Assert.DoesNotContain("hashing", redirected.Stderr);
        Assert.StartsWith("f1: 1 changed", redirected.Stdout);
    }
}
