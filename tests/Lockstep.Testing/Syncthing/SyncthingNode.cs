using System.Diagnostics;
using System.Security.Cryptography;

namespace Lockstep.Testing;

/// <summary>
/// One real Syncthing 1.19 running headless on 127.0.0.1 (bep-v1.md §7): its own home, free ports, a config.xml
/// written from <see cref="SyncthingOptions"/>, and a single process (STMONITORED=1, no monitor parent) that only
/// this object ever stops or kills, by its PID.
/// </summary>
public sealed partial class SyncthingNode : IAsyncDisposable
{
    private const int PortAttempts = 3;

    private readonly Process _process;
    private readonly SyncthingLog _log;
    private bool _deleteHome;
    private readonly object _gate = new();
    private readonly int _logStart;
    private Task? _stopping;
    private int? _exitCode;

    private SyncthingNode(Process process, SyncthingLog log, SyncthingOptions options, string home, string deviceId,
        int listenPort, int guiPort, string apiKey)
    {
        _process = process;
        _log = log;
        _logStart = log.Text.Length;
        Options = options;
        Home = home;
        DeviceId = deviceId;
        ListenPort = listenPort;
        GuiPort = guiPort;
        ApiKey = apiKey;
        ProcessId = process.Id;
        Rest = new SyncthingRest(GuiAddress, apiKey);
    }

    public SyncthingOptions Options { get; }

    /// <summary>Syncthing's home: config.xml, cert.pem, key.pem, index database, syncthing.log.</summary>
    public string Home { get; }

    /// <summary>The ID <c>syncthing generate</c> printed (the same as system/status myID).</summary>
    public string DeviceId { get; }

    public int ListenPort { get; }

    /// <summary>Where peers dial Syncthing: <c>tcp://127.0.0.1:PORT</c>. Listening by the time StartAsync returns.</summary>
    public string ListenAddress => $"tcp://127.0.0.1:{ListenPort}";

    public int GuiPort { get; }

    /// <summary>REST base address, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri GuiAddress => new($"http://127.0.0.1:{GuiPort}/");

    public string ApiKey { get; }

    /// <summary>Typed REST calls with this node's API key.</summary>
    public SyncthingRest Rest { get; }

    /// <summary>The PID of <c>syncthing serve</c> (the only process started for this node).</summary>
    public int ProcessId { get; }

    public string ConfigPath => Path.Combine(Home, "config.xml");

    public string LogPath => _log.Path;

    /// <summary>Everything Syncthing printed so far (still available after the home is deleted).</summary>
    public string Log => _log.Text;

    /// <summary>The last lines of <see cref="Log"/>, for failure messages.</summary>
    public string LogTail(int lines = 80) => _log.Tail(lines);

    public bool HasExited
    {
        get
        {
            lock (_gate)
                return _exitCode is not null || _process.HasExited;
        }
    }

    /// <summary>Null while running.</summary>
    public int? ExitCode
    {
        get
        {
            lock (_gate)
                return _exitCode ?? (_process.HasExited ? _process.ExitCode : null);
        }
    }

    /// <summary>The absolute path of a folder from <see cref="SyncthingOptions.Folders"/>.</summary>
    public string FolderPath(string folderId) =>
        SyncthingConfig.FolderPath(Options.Folders.FirstOrDefault(f => f.Id == folderId)
                                   ?? throw new ArgumentException($"folder {folderId} is not in this node's options"), Home);

    public override string ToString() => $"syncthing {DeviceId[..7]} pid {ProcessId} listen {ListenAddress} gui {GuiAddress}";

    /// <summary>
    /// Generates the home (keeping an existing key), writes config.xml, starts <c>syncthing serve</c> and returns once
    /// REST answers ping and the BEP listener is open. Ports picked here are picked again, up to three times, when
    /// another process takes one first.
    /// </summary>
    public static async Task<SyncthingNode> StartAsync(SyncthingOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var exe = options.Executable ?? Syncthing.RequireExecutable();
        var home = options.Home ?? Path.Combine(Path.GetTempPath(), $"st-{Guid.NewGuid():N}"[..15]);
        var deleteHome = options.DeleteHomeOnDispose ?? options.Home is null;
        Directory.CreateDirectory(home);
        var apiKey = options.ApiKey ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var log = new SyncthingLog(Path.Combine(home, "syncthing.log"));
        try
        {
            var id = await Syncthing.GenerateAsync(home, cancellationToken);
            foreach (var folder in options.Folders)
                PrepareFolder(folder, home);

            for (var attempt = 1; ; attempt++)
            {
                var listenPort = options.ListenPort ?? FreePort.Next();
                var guiPort = options.GuiPort ?? FreeExcept(listenPort);
                await File.WriteAllTextAsync(Path.Combine(home, "config.xml"),
                    SyncthingConfig.Build(options, id, home, listenPort, guiPort, apiKey), cancellationToken);
                log.Harness($"starting {exe} serve (attempt {attempt}): device {id}, listen tcp://127.0.0.1:{listenPort}, gui 127.0.0.1:{guiPort}");
                var node = new SyncthingNode(Launch(exe, home, options, log), log, options, home, id, listenPort, guiPort, apiKey);
                StartOutcome outcome;
                try
                {
                    outcome = await node.WaitUntilReadyAsync(cancellationToken);
                }
                catch
                {
                    // Cancelled or failed while waiting: never leave the process behind.
                    await node.StopAsync();
                    throw;
                }
                if (outcome == StartOutcome.Ready)
                {
                    // From here the node owns the home; until here a failed start stops the process and deletes a home it made.
                    node._deleteHome = deleteHome;
                    return node;
                }

                await node.StopAsync();
                var portsOurs = options.ListenPort is null && options.GuiPort is null;
                if (outcome == StartOutcome.PortTaken && portsOurs && attempt < PortAttempts)
                    continue;
                throw new InvalidOperationException(
                    $"syncthing did not start ({outcome}, exit code {node.ExitCode?.ToString() ?? "none"}) in {home}\n--- syncthing log\n{log.Tail(80)}");
            }
        }
        catch
        {
            log.Close();
            if (deleteHome)
                DeleteDirectory(home);
            throw;
        }
    }

    /// <summary>
    /// Stops Syncthing: POST /rest/system/shutdown, wait up to <see cref="SyncthingOptions.StopTimeout"/> for the process
    /// to exit, then kill only its PID. Idempotent. The log stays readable through <see cref="Log"/>.
    /// </summary>
    public Task StopAsync()
    {
        lock (_gate)
            return _stopping ??= StopCoreAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _log.Close();
        if (_deleteHome)
            DeleteDirectory(Home);
    }

    private async Task StopCoreAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                try
                {
                    using var cts = new CancellationTokenSource(Options.StopTimeout < TimeSpan.FromSeconds(5) ? Options.StopTimeout : TimeSpan.FromSeconds(5));
                    await Rest.ShutdownAsync(cts.Token);
                    _log.Harness("asked syncthing to shut down");
                }
                catch (Exception e) when (e is HttpRequestException or TimeoutException or IOException or OperationCanceledException)
                {
                    _log.Harness($"shutdown request failed: {e.Message}");
                }
                if (!await WaitForExitAsync(Options.StopTimeout))
                {
                    _log.Harness($"syncthing did not exit within {Options.StopTimeout.TotalSeconds:F0} s; killing pid {ProcessId}");
                    try
                    {
                        // This PID only: with STMONITORED=1 there is no monitor parent or child to look after.
                        _process.Kill(entireProcessTree: false);
                    }
                    catch (InvalidOperationException)
                    {
                        // Exited between the check and the kill.
                    }
                    await WaitForExitAsync(TimeSpan.FromSeconds(10));
                }
            }
        }
        finally
        {
            lock (_gate)
                _exitCode = _process.HasExited ? _process.ExitCode : -1;
            _log.Harness($"syncthing pid {ProcessId} exited with code {_exitCode}");
            Rest.Dispose();
            _process.Dispose();
        }
    }

    /// <summary>True once the process has exited and its output is drained.</summary>
    private async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return _process.HasExited;
        }
    }

    private static Process Launch(string exe, string home, SyncthingOptions options, SyncthingLog log)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "serve", "--home", home, "--no-browser", "--no-restart", "--no-upgrade" })
            psi.ArgumentList.Add(arg);
        psi.Environment["STNOUPGRADE"] = "1";
        // Runs the inner process directly, without the monitor parent: one PID, ours to stop (bep-v1.md §7).
        psi.Environment["STMONITORED"] = "1";
        psi.Environment["STNODEFAULTFOLDER"] = "1";
        foreach (var (k, v) in options.Environment)
            psi.Environment[k] = v;
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {exe}");
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => log.Append(e.Data);
        process.ErrorDataReceived += (_, e) => log.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        log.Harness($"pid {process.Id}");
        return process;
    }

    /// <summary>Creates the folder and its marker: Syncthing stops a folder whose path exists without <c>.stfolder</c>.</summary>
    private static void PrepareFolder(SyncthingFolder folder, string home)
    {
        var path = SyncthingConfig.FolderPath(folder, home);
        Directory.CreateDirectory(path);
        if (folder.CreateMarker && !Path.Exists(Path.Combine(path, ".stfolder")))
            Directory.CreateDirectory(Path.Combine(path, ".stfolder"));
    }

    private static int FreeExcept(int taken)
    {
        while (true)
        {
            var port = FreePort.Next();
            if (port != taken)
                return port;
        }
    }

    private static void DeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private enum StartOutcome
    {
        Ready,
        PortTaken,
        Exited,
        TimedOut,
    }
}
