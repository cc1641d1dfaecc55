using System.Diagnostics;
using System.Text.Json;
using Lockstep.Node.Hosting;
using Lockstep.Testing;

namespace Lockstep.Cli.Tests;

public sealed class ServeTests : IDisposable
{
    private readonly TempDirectory _dir = new("serve");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_running_node_holds_the_home_so_edits_and_offline_scans_refuse_with_exit_1()
    {
        var (home, _) = await Cli.InitAsync(_dir);
        Assert.Equal(0, (await Cli.RunAsync("folder", "add", "--home", home, "--id", "f1", "--path", _dir.Combine("f1"))).ExitCode);
        _dir.Write("f1/hello.txt", "hi");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Cli.Dll, "serve", "--home", home })
            psi.ArgumentList.Add(a);
        using var node = Process.Start(psi)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        try
        {
            var runtime = Path.Combine(home, "runtime.json");
            await Eventually.TrueAsync(() => File.Exists(runtime), TimeSpan.FromSeconds(30), "runtime.json");
            Assert.Equal(node.Id, JsonDocument.Parse(File.ReadAllText(runtime)).RootElement.GetProperty("pid").GetInt32());

            // Config edits go through the running node, which applies them live (and the file has them too).
            const string peer = "MFZWI3D-BONSGYC-YLTMRWG-C43ENR5-QXGZDMM-FZWI3DP-BONSGYY-LTMRWAD";
            var edit = await Cli.RunAsync("device", "add", "--home", home, "--id", peer, "--name", "live-peer");
            Assert.True(edit.ExitCode == 0, edit.ToString());
            Assert.Contains("live-peer", File.ReadAllText(Path.Combine(home, "config.yaml")));
            Assert.Contains("live-peer", (await Cli.RunAsync("status", "--home", home, "--json")).Stdout);
            var badEdit = await Cli.RunAsync("folder", "add", "--home", home, "--id", "f2", "--path", _dir.Combine("f1", "inside"));
            Assert.Equal(2, badEdit.ExitCode); // overlaps f1: refused before anything is sent
            Assert.Contains("f1", badEdit.Stderr);
            Assert.Equal(0, (await Cli.RunAsync("device", "remove", "--home", home, "--id", peer)).ExitCode);
            Assert.DoesNotContain("live-peer", (await Cli.RunAsync("status", "--home", home, "--json")).Stdout);
            // Runtime commands go through the running node's API.
            var scan = await Cli.RunAsync("scan", "--home", home, "f1");
            Assert.True(scan.ExitCode == 0, scan.ToString());
            Assert.Contains("f1: scanned", scan.Stdout);
            // On a terminal, a scan through the node shows a progress bar fed by the node's FolderScanProgress events.
            var onTerminal = await ProcessRunner.RunAsync("script", ["-qec", $"dotnet {Cli.Dll} scan --home {home} f1", "/dev/null"],
                environment: new Dictionary<string, string?> { ["LOCKSTEP_HOME"] = null, ["TERM"] = "xterm" });
            Assert.True(onTerminal.ExitCode == 0, onTerminal.ToString());
            Assert.Contains("scanning f1", onTerminal.Stdout);
            Assert.Contains("f1: scanned", onTerminal.Stdout);
            var status = await Cli.RunAsync("status", "--home", home, "--json");
            Assert.True(status.ExitCode == 0, status.ToString());
            using (var statusJson = JsonDocument.Parse(status.Stdout))
            {
                var f1 = statusJson.RootElement.GetProperty("folders")[0];
                Assert.Equal("f1", f1.GetProperty("id").GetString());
                Assert.Equal(1, f1.GetProperty("localFiles").GetInt64());
                Assert.Equal(2, f1.GetProperty("localBytes").GetInt64());
                Assert.Equal(0, f1.GetProperty("needFiles").GetInt64());
                foreach (var key in new[] { "state", "globalFiles", "globalBytes", "needBytes", "conflicts", "completion" })
                    Assert.True(f1.TryGetProperty(key, out _), key);
                Assert.Equal(0, statusJson.RootElement.GetProperty("devices").GetArrayLength());
            }
            var paused = await Cli.RunAsync("pause", "--home", home, "f1");
            Assert.True(paused.ExitCode == 0, paused.ToString());
            Assert.Contains("\"paused\"", (await Cli.RunAsync("status", "--home", home, "--json")).Stdout);
            Assert.Equal(0, (await Cli.RunAsync("resume", "--home", home, "f1")).ExitCode);
            // `events --once` prints what the node holds: the pause as a StateChanged, one line per event.
            var events = await Cli.RunAsync("events", "--home", home, "--once", "--types", "StateChanged");
            Assert.True(events.ExitCode == 0, events.ToString());
            Assert.Contains(events.Stdout.Split('\n'), l => l.Contains("StateChanged", StringComparison.Ordinal) && l.Contains("folder=f1", StringComparison.Ordinal) && l.Contains("to=paused", StringComparison.Ordinal));
            var eventsJson = await Cli.RunAsync("events", "--home", home, "--once", "--json");
            Assert.True(eventsJson.ExitCode == 0, eventsJson.ToString());
            var lines = eventsJson.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Contains(lines, e => e.GetProperty("type").GetString() == "StartupComplete");
            long firstId = lines[0].GetProperty("id").GetInt64();
            var later = await Cli.RunAsync("events", "--home", home, "--once", "--json", "--since", firstId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.DoesNotContain($"\"id\":{firstId},", later.Stdout); // --since leaves out that event and the ones before it
            Assert.Contains($"\"id\":{firstId + 1},", later.Stdout);
            var wrongType = await Cli.RunAsync("revert", "--home", home, "f1");
            Assert.Equal(1, wrongType.ExitCode);
            Assert.Contains("receive-only", wrongType.Stderr);
            var noFolder = await Cli.RunAsync("pause", "--home", home, "nope");
            Assert.Equal(1, noFolder.ExitCode);
            Assert.Contains("no folder 'nope'", noFolder.Stderr);
            var second = await Cli.RunAsync("serve", "--home", home);
            Assert.Equal(1, second.ExitCode);
        }
        finally
        {
            // SIGTERM: a graceful stop that removes runtime.json and releases the lock.
            Process.Start("kill", ["-TERM", node.Id.ToString()])!.WaitForExit();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await node.WaitForExitAsync(cts.Token);
        }
        Assert.True(node.ExitCode == 0, await stderr);
        Assert.False(File.Exists(Path.Combine(home, "runtime.json")));
        var log = await stdout;
        // JSON lines on stdout when it is not a terminal.
        var started = log.Split('\n').First(l => l.Contains("started", StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(started);
        Assert.Equal(1001, doc.RootElement.GetProperty("EventId").GetInt32());
        var after = await Cli.RunAsync("ls", "--home", home, "f1", "--json");
        Assert.Contains("hello.txt", after.Stdout); // the node scanned the folder
        Assert.Equal(0, (await Cli.RunAsync("folder", "list", "--home", home)).ExitCode);
    }

    [Fact]
    public async Task Runtime_commands_reach_a_node_over_https_pinned_to_its_certificate_and_over_its_unix_socket()
    {
        var (home, _) = await Cli.InitAsync(_dir);
        var socket = _dir.Combine("api.sock");
        var configPath = Path.Combine(home, "config.yaml");
        var config = Lockstep.Node.Config.ConfigFile.LoadWithoutOverrides(configPath);
        Lockstep.Node.Config.ConfigFile.Save(configPath, config with { Api = config.Api with { Tls = true, UnixSocket = socket } });
        await using var node = ServeProcess.Start(home);
        var runtime = Path.Combine(home, "runtime.json");
        await Eventually.TrueAsync(() => File.Exists(runtime), TimeSpan.FromSeconds(30), "runtime.json");

        var overHttps = await Cli.RunAsync("status", "--home", home, "--json");
        Assert.True(overHttps.ExitCode == 0, overHttps.ToString());
        Assert.Contains("\"folders\"", overHttps.Stdout);
        var overSocket = await Cli.RunAsync("status", "--home", home, "--json", "--api", "unix:" + socket);
        Assert.True(overSocket.ExitCode == 0, overSocket.ToString());

        // Another node's home holds another certificate: the CLI refuses to talk to this API with it.
        var other = new TempDirectory("other-home");
        try
        {
            var otherHome = other.Combine("home");
            Assert.Equal(0, (await Cli.RunAsync("init", "--home", otherHome, "--name", "x", "--listen", "tcp://127.0.0.1:0", "--api", "127.0.0.1:0")).ExitCode);
            var api = JsonDocument.Parse(File.ReadAllText(runtime)).RootElement.GetProperty("apiAddress").GetString()!;
            var key = Lockstep.Node.Config.ConfigFile.Load(configPath).Api.Key;
            var wrongPin = await Cli.RunAsync("status", "--home", otherHome, "--api", api, "--api-key", key);
            Assert.Equal(1, wrongPin.ExitCode);
            Assert.Contains("cannot reach the node's API", wrongPin.Stderr);
        }
        finally
        {
            other.Dispose();
        }
        Assert.Equal(0, await node.TerminateAsync(TimeSpan.FromSeconds(30)));
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public async Task A_node_watches_its_folders_and_nothing_under_the_directory_it_was_started_from()
    {
        var (home, _) = await Cli.InitAsync(_dir);
        var folder = _dir.Combine("f1");
        Assert.Equal(0, (await Cli.RunAsync("folder", "add", "--home", home, "--id", "f1", "--path", folder)).ExitCode);
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        var cwd = _dir.Combine("started-from");
        for (int i = 0; i < 20; i++)
            Directory.CreateDirectory(Path.Combine(cwd, $"d{i}", "e"));
        var cwdInodes = Directory.EnumerateDirectories(cwd, "*", SearchOption.AllDirectories).Append(cwd).Select(Inode).ToHashSet();

        await using var node = ServeProcess.Start(home, cwd);
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(home, "runtime.json")), TimeSpan.FromSeconds(30), $"runtime.json\n{node}");
        await Eventually.TrueAsync(() => InotifyWatches(node.Pid).IsSupersetOf([Inode(folder), Inode(Path.Combine(folder, "sub"))]),
            TimeSpan.FromSeconds(30), "the folder and its subdirectory to be watched");
        var strays = InotifyWatches(node.Pid).Intersect(cwdInodes).ToList();
        Assert.True(strays.Count == 0, $"{strays.Count} inotify watches on directories under the node's working directory");
        Assert.Equal(0, await node.TerminateAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_node_replaces_its_own_process_by_one_with_the_optimizing_JIT_first_and_keeps_its_pid()
    {
        var (home, _) = await Cli.InitAsync(_dir);
        await using var node = ServeProcess.Start(home);
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(home, "runtime.json")), TimeSpan.FromSeconds(30), $"runtime.json\n{node}");
        var environment = Environ(node.Pid);
        Assert.Contains($"{OptimizedJit.Variable}=0", environment);
        Assert.Equal(["serve", "--home", home], Cmdline(node.Pid).SkipWhile(a => a != "serve"));
        Assert.Equal(0, await node.TerminateAsync(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData("DOTNET_TC_QuickJit", "1")]
    [InlineData("DOTNET_TieredCompilation", "0")]
    [InlineData("COMPlus_TC_QuickJit", "1")]
    public async Task A_compilation_setting_given_to_a_node_is_kept(string variable, string value)
    {
        var (home, _) = await Cli.InitAsync(_dir);
        await using var node = ServeProcess.Start(home, environment: new Dictionary<string, string> { [variable] = value });
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(home, "runtime.json")), TimeSpan.FromSeconds(30), $"runtime.json\n{node}");
        var environment = Environ(node.Pid);
        Assert.Contains($"{variable}={value}", environment);
        Assert.DoesNotContain($"{OptimizedJit.Variable}=0", environment);
        Assert.Equal(0, await node.TerminateAsync(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData(true, "serve", "--home", "h")]
    [InlineData(false, "status", "--home", "h")]
    [InlineData(false, "demo")]
    [InlineData(false, "folder", "add", "--id", "serve")]
    [InlineData(false)]
    public void Only_the_serve_command_is_re_executed(bool applies, params string[] args) =>
        Assert.Equal(applies, OptimizedJit.AppliesTo(args));

    private static string[] Environ(int pid) => File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);

    private static string[] Cmdline(int pid) => File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);

    private static ulong Inode(string path)
    {
        Assert.True(Lockstep.FileSystem.Native.NativeFile.TryLstat(path, out var stat, out int errno), $"lstat {path}: errno {errno}");
        return stat.Inode;
    }

    /// <summary>The inode of every directory a process has an inotify watch on (its fdinfo lines: "inotify wd:1 ino:c23ffc sdev:...").</summary>
    private static HashSet<ulong> InotifyWatches(int pid)
    {
        var inodes = new HashSet<ulong>();
        foreach (var info in Directory.EnumerateFiles($"/proc/{pid}/fdinfo"))
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(info);
            }
            catch (IOException)
            {
                continue; // the descriptor closed meanwhile
            }
            foreach (var line in lines.Where(l => l.StartsWith("inotify ", StringComparison.Ordinal)))
            {
                var ino = line.Split(' ').First(f => f.StartsWith("ino:", StringComparison.Ordinal))[4..];
                inodes.Add(ulong.Parse(ino, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return inodes;
    }

    [Fact]
    public async Task The_log_level_comes_from_the_config_and_a_bad_one_is_refused_naming_the_key()
    {
        var (home, _) = await Cli.InitAsync(_dir);
        var configPath = Path.Combine(home, "config.yaml");
        var config = Lockstep.Node.Config.ConfigFile.LoadWithoutOverrides(configPath);
        Lockstep.Node.Config.ConfigFile.Save(configPath, config with { LogLevel = "warning" });
        Assert.Contains("logLevel: warning", File.ReadAllText(configPath));
        await using (var node = ServeProcess.Start(home))
        {
            await Eventually.TrueAsync(() => File.Exists(Path.Combine(home, "runtime.json")), TimeSpan.FromSeconds(30), "runtime.json");
            Assert.Equal(0, await node.TerminateAsync(TimeSpan.FromSeconds(30)));
            Assert.DoesNotContain(node.Lines, l => l.Contains("\"LogLevel\":\"Information\"", StringComparison.Ordinal)); // warnings and worse only
        }

        File.WriteAllText(configPath, File.ReadAllText(configPath).Replace("logLevel: warning", "logLevel: loud", StringComparison.Ordinal));
        var bad = await Cli.RunAsync("serve", "--home", home);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("logLevel", bad.Stderr);
        Assert.Contains("information", bad.Stderr); // the allowed values are listed
    }

    [Fact]
    public async Task A_listen_address_in_use_is_a_one_line_error_with_the_fix()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var home = _dir.Combine("busy");
        Assert.Equal(0, (await Cli.RunAsync("init", "--home", home, "--listen", $"tcp://127.0.0.1:{port}", "--api", "127.0.0.1:0")).ExitCode);
        var r = await Cli.RunAsync("serve", "--home", home);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"cannot listen on tcp://127.0.0.1:{port}", r.Stderr);
        Assert.Contains("'listen'", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr); // no stack trace
        Assert.False(File.Exists(Path.Combine(home, "runtime.json")));
    }
}
