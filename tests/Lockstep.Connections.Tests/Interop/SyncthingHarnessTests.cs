using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Lockstep.Protocol.Identity;
using Lockstep.Testing;
using Xunit.Abstractions;

namespace Lockstep.Connections.Tests.Interop;

/// <summary>
/// The shared Syncthing harness (<see cref="SyncthingNode"/>, <see cref="SyncthingRest"/>) against the real Syncthing 1.19:
/// what later interop tests rely on — config applied as written, folders indexed, REST answers, clean stops.
/// </summary>
public sealed class SyncthingHarnessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Start_applies_the_written_config_and_opens_the_listener()
    {
        using var dir = new TempDirectory("st-harness");
        var peer = RandomDeviceId();
        await using var st = await SyncthingNode.StartAsync(new SyncthingOptions
        {
            Name = "harness",
            ReconnectionInterval = TimeSpan.FromSeconds(7),
            Folders = [new SyncthingFolder("f1") { Path = dir.Combine("f1"), RescanInterval = TimeSpan.FromSeconds(7), Order = SyncthingPullOrder.Alphabetic }],
            Devices = [SyncthingDevice.At(peer, "tcp://127.0.0.1:9") with { Name = "ours", Compression = SyncthingCompression.Never }],
        });

        Assert.Equal(st.DeviceId, await st.Rest.GetMyIdAsync());
        Assert.Matches(@"^tcp://127\.0\.0\.1:\d+$", st.ListenAddress);
        Assert.Equal($"http://127.0.0.1:{st.GuiPort}/", st.GuiAddress.ToString());
        // StartAsync returned, so the BEP listener must already accept TCP connections.
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            await probe.ConnectAsync(IPAddress.Loopback, st.ListenPort);

        var options = await st.Rest.GetAsync("rest/config/options");
        Assert.Equal([st.ListenAddress], options.GetProperty("listenAddresses").EnumerateArray().Select(e => e.GetString()));
        Assert.False(options.GetProperty("globalAnnounceEnabled").GetBoolean());
        Assert.False(options.GetProperty("localAnnounceEnabled").GetBoolean());
        Assert.False(options.GetProperty("relaysEnabled").GetBoolean());
        Assert.False(options.GetProperty("natEnabled").GetBoolean());
        Assert.False(options.GetProperty("crashReportingEnabled").GetBoolean());
        Assert.Equal(-1, options.GetProperty("urAccepted").GetInt32());
        Assert.Equal(0, options.GetProperty("autoUpgradeIntervalH").GetInt32());
        Assert.Equal(7, options.GetProperty("reconnectionIntervalS").GetInt32());

        var folder = (await st.Rest.GetConfigFolderAsync("f1"))!.Value;
        Assert.Equal(dir.Combine("f1"), folder.GetProperty("path").GetString());
        Assert.Equal("sendreceive", folder.GetProperty("type").GetString());
        Assert.Equal(7, folder.GetProperty("rescanIntervalS").GetInt32());
        Assert.False(folder.GetProperty("fsWatcherEnabled").GetBoolean());
        Assert.Equal(10, folder.GetProperty("maxConflicts").GetInt32());
        Assert.Equal("alphabetic", folder.GetProperty("order").GetString());
        Assert.Equal(1, folder.GetProperty("minDiskFree").GetProperty("value").GetDouble());
        Assert.Equal(3600, folder.GetProperty("versioning").GetProperty("cleanupIntervalS").GetInt32());
        Assert.Equal(new[] { st.DeviceId, peer }.Order(),
            folder.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("deviceID").GetString()!).Order());
        Assert.True(Directory.Exists(dir.Combine("f1", ".stfolder")));

        var device = (await st.Rest.GetConfigDeviceAsync(peer))!.Value;
        Assert.Equal("ours", device.GetProperty("name").GetString());
        Assert.Equal("never", device.GetProperty("compression").GetString());
        Assert.False(device.GetProperty("introducer").GetBoolean());
        Assert.Equal(["tcp://127.0.0.1:9"], device.GetProperty("addresses").EnumerateArray().Select(e => e.GetString()));
        var connection = await st.Rest.GetConnectionAsync(peer);
        Assert.NotNull(connection);
        Assert.False(connection.Connected);
    }

    [Fact]
    public async Task A_folder_with_files_becomes_idle_with_the_right_counts()
    {
        await using var st = await SyncthingNode.StartAsync(new SyncthingOptions { Folders = [new SyncthingFolder("f1")] });
        // Files appear after start; nothing but a scan can find them (watcher off, hourly rescans).
        WriteFiles(st.FolderPath("f1"), ("a.txt", "a"), ("b.txt", "bb"), ("sub/c.txt", "ccc"));
        await st.Rest.ScanAsync("f1");

        var status = await st.WaitForFolderIdleAsync("f1", localFiles: 3, Wait);

        Assert.Equal("idle", status.State);
        Assert.Equal(1, status.LocalDirectories);
        Assert.Equal(3, status.GlobalFiles);
        Assert.Equal(0, status.NeedTotalItems);
        Assert.Equal(4, status.Sequence);
        var completion = await st.Rest.GetCompletionAsync("f1");
        Assert.True(completion.IsComplete, completion.ToString());
        Assert.Equal(4, completion.GlobalItems);
        var browse = await st.Rest.BrowseAsync("f1");
        Assert.Equal(["a.txt", "b.txt", "sub"], browse.EnumerateArray().Select(e => e.GetProperty("name").GetString()).Order());
        var need = await st.Rest.GetNeedAsync("f1");
        Assert.Equal(0, need.GetProperty("rest").GetArrayLength());
        output.WriteLine(status.ToString());
    }

    [Fact]
    public async Task Db_file_shows_local_and_global_with_syncthings_version()
    {
        using var dir = new TempDirectory("st-harness");
        WriteFiles(dir.Combine("f1"), ("a.txt", "hello"), ("sub/c.txt", "c"));
        await using var st = await SyncthingNode.StartAsync(new SyncthingOptions { Folders = [new SyncthingFolder("f1") { Path = dir.Combine("f1") }] });
        await st.WaitForFolderIdleAsync("f1", localFiles: 2, Wait);

        var file = await st.Rest.GetFileAsync("f1", "a.txt");

        Assert.NotNull(file);
        Assert.NotNull(file.Local);
        Assert.NotNull(file.Global);
        Assert.Equal("a.txt", file.Local.Name);
        Assert.Equal("FILE_INFO_TYPE_FILE", file.Local.Type);
        Assert.Equal(5, file.Local.Size);
        Assert.False(file.Local.Deleted);
        Assert.Equal(1, file.Local.NumBlocks);
        Assert.True(file.Local.Sequence > 0);
        var shortId = st.DeviceId[..7];
        Assert.Equal(shortId, file.Local.ModifiedBy);
        Assert.Equal([shortId], file.Local.Counters.Keys);
        Assert.Equal(file.Local.Version, file.Global.Version);
        Assert.Equal(file.Local.Sequence, file.Global.Sequence);
        Assert.Equal(File.GetLastWriteTimeUtc(dir.Combine("f1", "a.txt")), file.Local.Modified.UtcDateTime, TimeSpan.FromMilliseconds(1));
        Assert.Empty(file.Availability);
        Assert.Equal("FILE_INFO_TYPE_DIRECTORY", (await st.Rest.GetFileAsync("f1", "sub"))!.Local!.Type);
        Assert.Null(await st.Rest.GetFileAsync("f1", "missing.txt"));
        output.WriteLine(file.Raw.GetRawText());
    }

    [Fact]
    public async Task Scan_indexes_new_files_and_sub_limits_it_to_one_path()
    {
        await using var st = await SyncthingNode.StartAsync(new SyncthingOptions { Folders = [new SyncthingFolder("f1")] });
        var root = st.FolderPath("f1");
        await st.WaitForFolderIdleAsync("f1", localFiles: 0, Wait);

        WriteFiles(root, ("d.txt", "d"));
        await st.Rest.ScanAsync("f1");
        await st.WaitForFolderIdleAsync("f1", localFiles: 1, Wait);

        WriteFiles(root, ("sub/e.txt", "e"), ("f.txt", "f"));
        await st.Rest.ScanAsync("f1", sub: "sub");
        await st.WaitUntilAsync(async () => await st.Rest.GetFileAsync("f1", "sub/e.txt") is not null, Wait, "sub/e.txt indexed");
        Assert.Null(await st.Rest.GetFileAsync("f1", "f.txt"));
        Assert.Equal(2, (await st.Rest.GetFolderStatusAsync("f1")).LocalFiles);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => st.Rest.ScanAsync("no-such-folder"));
        Assert.Contains("no such folder", error.Message);
    }

    [Fact]
    public async Task Config_post_adds_a_device_and_a_folder_live()
    {
        await using var st = await SyncthingNode.StartAsync(new SyncthingOptions());
        var peer = RandomDeviceId();

        await st.Rest.AddDeviceAsync(SyncthingDevice.At(peer, "tcp://127.0.0.1:9") with { Name = "added", Compression = SyncthingCompression.Always });
        var devices = await st.Rest.GetConfigDevicesAsync();
        var added = devices.EnumerateArray().Single(d => d.GetProperty("deviceID").GetString() == peer);
        Assert.Equal("added", added.GetProperty("name").GetString());
        Assert.Equal("always", added.GetProperty("compression").GetString());
        Assert.NotNull(await st.Rest.GetConnectionAsync(peer));

        using var dir = new TempDirectory("st-harness");
        await st.Rest.AddFolderAsync(new SyncthingFolder("live") { Path = dir.Combine("live"), SharedWith = [peer] });
        var folder = (await st.Rest.GetConfigFolderAsync("live"))!.Value;
        Assert.Equal(10, folder.GetProperty("maxConflicts").GetInt32());
        Assert.Equal(new[] { st.DeviceId, peer }.Order(),
            folder.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("deviceID").GetString()!).Order());
        await st.WaitForFolderIdleAsync("live", localFiles: 0, Wait);

        await st.Rest.PatchFolderAsync("live", new { rescanIntervalS = 9 });
        Assert.Equal(9, (await st.Rest.GetConfigFolderAsync("live"))!.Value.GetProperty("rescanIntervalS").GetInt32());
        await st.Rest.PatchDeviceAsync(peer, new { paused = true });
        Assert.True((await st.Rest.GetConfigDeviceAsync(peer))!.Value.GetProperty("paused").GetBoolean());

        await st.Rest.RemoveDeviceAsync(peer);
        Assert.Null(await st.Rest.GetConfigDeviceAsync(peer));
        var bad = await Assert.ThrowsAsync<HttpRequestException>(() => st.Rest.AddDeviceAsync(new SyncthingDevice("not-a-device-id")));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Events_long_poll_reports_startup_and_scans()
    {
        await using var st = await SyncthingNode.StartAsync(new SyncthingOptions { Folders = [new SyncthingFolder("f1")] });

        // The unfiltered stream is buffered from start: since=0 still sees startup.
        var started = await st.WaitForEventAsync(e => e.Type == "StartupComplete", Wait, "StartupComplete");
        Assert.Equal(st.DeviceId, started.Data.GetProperty("myID").GetString());

        WriteFiles(st.FolderPath("f1"), ("new.txt", "n"));
        await st.Rest.ScanAsync("f1");
        var indexed = await st.WaitForEventAsync(
            e => e.Type == "LocalIndexUpdated" && e.Data.GetProperty("filenames").EnumerateArray().Any(n => n.GetString() == "new.txt"),
            Wait, "LocalIndexUpdated for new.txt", since: started.Id);
        Assert.Equal("f1", indexed.Data.GetProperty("folder").GetString());
        Assert.True(indexed.Id > started.Id);

        // A filtered subscription begins at its first request: it holds only later events, of the asked-for types.
        Assert.Empty(await st.Rest.GetEventsAsync(0, ["StateChanged"], TimeSpan.FromSeconds(1)));
        WriteFiles(st.FolderPath("f1"), ("later.txt", "l"));
        await st.Rest.ScanAsync("f1");
        var filtered = await st.Rest.GetEventsAsync(0, ["StateChanged"], TimeSpan.FromSeconds(10));
        Assert.NotEmpty(filtered);
        Assert.All(filtered, e => Assert.Equal("StateChanged", e.Type));
    }

    [Fact]
    public async Task Two_nodes_share_a_folder_and_sync_a_file()
    {
        // B's key first, so A can list B; A never dials ("dynamic"), B dials A.
        using var homeB = new TempDirectory("st-harness-b");
        var idB = await Syncthing.GenerateAsync(homeB.Path);
        await using var a = await SyncthingNode.StartAsync(new SyncthingOptions
        {
            Name = "a",
            Folders = [new SyncthingFolder("shared")],
            Devices = [new SyncthingDevice(idB) { Name = "b" }],
        });
        WriteFiles(a.FolderPath("shared"), ("from-a.txt", "payload"));
        await a.Rest.ScanAsync("shared");
        await using var b = await SyncthingNode.StartAsync(new SyncthingOptions
        {
            Name = "b",
            Home = homeB.Path,
            DeleteHomeOnDispose = true,
            Folders = [new SyncthingFolder("shared")],
            Devices = [SyncthingDevice.At(a.DeviceId, a.ListenAddress) with { Name = "a" }],
        });
        Assert.Equal(idB, b.DeviceId);

        var atA = await a.WaitForConnectionAsync(b.DeviceId, Wait);
        var atB = await b.WaitForConnectionAsync(a.DeviceId, Wait);
        Assert.Equal("tcp-server", atA.Type);
        Assert.Equal("tcp-client", atB.Type);
        Assert.StartsWith("TLS1.3-", atB.Crypto);
        // The connections entry holds the peer's bare version (Debian: "v1.19.2-ds1"), not "syncthing v1.19.2".
        Assert.StartsWith("v1.19", atB.ClientVersion);

        await b.WaitForFolderIdleAsync("shared", localFiles: 1, Wait);
        Assert.Equal("payload", await File.ReadAllTextAsync(Path.Combine(b.FolderPath("shared"), "from-a.txt")));
        var fileAtB = (await b.Rest.GetFileAsync("shared", "from-a.txt"))!;
        Assert.Equal(a.DeviceId[..7], fileAtB.Global!.ModifiedBy);
        Assert.Equal(fileAtB.Global.Version, fileAtB.Local!.Version);
        await a.WaitUntilAsync(async () => (await a.Rest.GetCompletionAsync("shared", b.DeviceId)).IsComplete, Wait, "B complete in A's view");
        Assert.Equal(0, (await a.Rest.GetRemoteNeedAsync("shared", b.DeviceId)).GetProperty("files").GetArrayLength());
        output.WriteLine($"A sees B: {atA.Address} {atA.Crypto} {atA.ClientVersion}");
    }

    [Fact]
    public async Task An_unknown_device_is_pending_until_added_and_then_offers_its_folder()
    {
        await using var a = await SyncthingNode.StartAsync(new SyncthingOptions { Name = "a" });
        using var homeB = new TempDirectory("st-harness-b");
        var idB = await Syncthing.GenerateAsync(homeB.Path);
        await using var b = await SyncthingNode.StartAsync(new SyncthingOptions
        {
            Name = "b",
            Home = homeB.Path,
            Folders = [new SyncthingFolder("offered") { Label = "Offered" }],
            Devices = [SyncthingDevice.At(a.DeviceId, a.ListenAddress) with { Name = "a" }],
        });

        var pending = await a.WaitForAsync(() => a.Rest.GetPendingDevicesAsync(), p => p.TryGetProperty(idB, out _), Wait, "B pending at A");
        Assert.Equal("b", pending.GetProperty(idB).GetProperty("name").GetString());
        Assert.False((await a.Rest.GetConnectionAsync(idB)) is { Connected: true });

        await a.Rest.AddDeviceAsync(new SyncthingDevice(idB) { Name = "b" });
        await a.WaitForConnectionAsync(idB, Wait);
        var folders = await a.WaitForAsync(() => a.Rest.GetPendingFoldersAsync(), p => p.TryGetProperty("offered", out _), Wait, "folder offered by B");
        var offer = folders.GetProperty("offered").GetProperty("offeredBy").GetProperty(idB);
        Assert.Equal("Offered", offer.GetProperty("label").GetString());
        Assert.False((await a.Rest.GetPendingDevicesAsync()).TryGetProperty(idB, out _));
        output.WriteLine($"pending folders at A: {folders.GetRawText()}");
    }

    [Fact]
    public async Task Stop_shuts_syncthing_down_and_leaves_no_process()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Disposed explicitly below (to check the home goes); await using still cleans up when an assertion fails first.
        await using var st = await SyncthingNode.StartAsync(new SyncthingOptions { Folders = [new SyncthingFolder("f1")] });
        var started = clock.Elapsed;
        var pid = st.ProcessId;
        var home = st.Home;
        Assert.True(IsOurSyncthing(pid, home));

        clock.Restart();
        await st.StopAsync();
        output.WriteLine($"start (generate, serve, REST and listener up) {started.TotalSeconds:F2} s; clean stop {clock.Elapsed.TotalSeconds:F2} s");

        Assert.True(st.HasExited);
        Assert.Equal(0, st.ExitCode);
        Assert.False(IsOurSyncthing(pid, home));
        Assert.Contains("asked syncthing to shut down", st.Log);
        Assert.DoesNotContain("killing pid", st.Log);
        Assert.Contains("Exiting", st.Log);
        using (var rest = new SyncthingRest(st.GuiAddress, st.ApiKey, TimeSpan.FromSeconds(5)))
            Assert.False(await rest.TryPingAsync());

        await st.DisposeAsync();
        Assert.False(Directory.Exists(home));
        Assert.Contains("Exiting", st.Log);
    }

    [Fact]
    public async Task Stop_kills_only_its_pid_when_syncthing_does_not_answer()
    {
        await using var st = await SyncthingNode.StartAsync(new SyncthingOptions { StopTimeout = TimeSpan.FromSeconds(1) });
        var pid = st.ProcessId;
        // A stopped process answers nothing (not even the shutdown request) but still dies of SIGKILL.
        var stop = await ProcessRunner.RunAsync("kill", ["-STOP", pid.ToString()]);
        Assert.Equal(0, stop.ExitCode);

        await st.StopAsync();

        Assert.True(st.HasExited);
        Assert.Equal(137, st.ExitCode);
        Assert.Contains($"killing pid {pid}", st.Log);
        Assert.False(IsOurSyncthing(pid, st.Home));
    }

    [Fact]
    public async Task A_given_gui_port_already_taken_fails_start_with_the_log_and_no_process()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        using var home = new TempDirectory("st-harness");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SyncthingNode.StartAsync(new SyncthingOptions
        {
            Home = home.Path,
            GuiPort = ((IPEndPoint)taken.LocalEndPoint!).Port,
            StartTimeout = Wait,
        }));

        Assert.Contains("address already in use", error.Message);
        var pidLine = File.ReadAllLines(home.Combine("syncthing.log")).First(l => l.StartsWith("## harness:") && l.Contains(" pid "));
        var pid = int.Parse(pidLine[(pidLine.LastIndexOf(' ') + 1)..]);
        Assert.False(IsOurSyncthing(pid, home.Path));
    }

    [Fact]
    public async Task Options_are_validated_before_anything_starts()
    {
        // 1.19 raises reconnectionIntervalS below 5 to 5, so asking for less must not pass silently.
        await Assert.ThrowsAsync<ArgumentException>(() => SyncthingNode.StartAsync(new SyncthingOptions { ReconnectionInterval = TimeSpan.FromSeconds(1) }));
        await Assert.ThrowsAsync<ArgumentException>(() => SyncthingNode.StartAsync(new SyncthingOptions
        {
            Folders = [new SyncthingFolder("f") { SharedWith = [RandomDeviceId()] }],
        }));
        await Assert.ThrowsAsync<ArgumentException>(() => SyncthingNode.StartAsync(new SyncthingOptions
        {
            Devices = [SyncthingDevice.At(RandomDeviceId(), "tcp://192.0.2.1:22000")],
        }));
    }

    private static string RandomDeviceId() => new DeviceId(RandomNumberGenerator.GetBytes(DeviceId.Length)).ToString();

    private static void WriteFiles(string root, params (string Name, string Content)[] files)
    {
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(root, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
    }

    /// <summary>True while the PID is alive (not a zombie) and still the syncthing serving that home; a reused PID does not count.</summary>
    private static bool IsOurSyncthing(int pid, string home)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            var state = File.ReadAllLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("State:")) ?? "";
            return cmdline.Contains("syncthing") && cmdline.Contains(home) && !state.Contains("zombie");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
