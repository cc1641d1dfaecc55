using System.Diagnostics;
using System.Text;
using Lockstep.Protocol.Identity;
using Lockstep.Testing;

namespace Lockstep.Connections.Tests.Interop;

/// <summary>
/// Debian's syncthing 1.19 running headless on loopback (bep-v1.md §7) with a minimal config that knows our device.
/// Only the PID started here is ever killed.
/// </summary>
internal sealed class SyncthingProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private SyncthingProcess(Process process, string deviceId, int listenPort, TempDirectory home)
    {
        _process = process;
        DeviceId = deviceId;
        ListenPort = listenPort;
        Home = home;
    }

    /// <summary>The ID <c>syncthing generate</c> printed.</summary>
    public string DeviceId { get; }

    public int ListenPort { get; }

    public TempDirectory Home { get; }

    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    /// <param name="ours">Our device ID, added to Syncthing's config.</param>
    /// <param name="ourAddress">Where Syncthing should dial us, or "dynamic" for never.</param>
    public static async Task<SyncthingProcess> StartAsync(DeviceId ours, string ourAddress)
    {
        var exe = Syncthing.Executable ?? throw new InvalidOperationException("syncthing is not installed (apt-get install syncthing)");
        var home = new TempDirectory("st-interop");
        var id = await Syncthing.GenerateAsync(home.Path);
        var listenPort = Support.Ports.Free();
        var guiPort = Support.Ports.Free();
        File.WriteAllText(Path.Combine(home.Path, "config.xml"), Config(id, ours.ToString(), ourAddress, listenPort, guiPort));

        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "serve", "--home", home.Path, "--no-browser", "--no-restart", "--no-upgrade" })
            psi.ArgumentList.Add(arg);
        psi.Environment["STNOUPGRADE"] = "1";
        // Runs syncthing without its monitor parent: one PID, ours to kill.
        psi.Environment["STMONITORED"] = "1";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start syncthing");
        var st = new SyncthingProcess(process, id, listenPort, home);
        process.OutputDataReceived += (_, e) => st.Append(e.Data);
        process.ErrorDataReceived += (_, e) => st.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return st;
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: false);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        finally
        {
            _process.Dispose();
            Home.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.AppendLine(line);
    }

    // bep-v1.md §7's template without the folder: the handshake needs only the two devices.
    private static string Config(string syncthingId, string ourId, string ourAddress, int listenPort, int guiPort) => $"""
        <configuration version="36">
          <device id="{syncthingId}" name="st" compression="metadata" introducer="false" skipIntroductionRemovals="false" introducedBy="">
            <address>dynamic</address>
          </device>
          <device id="{ourId}" name="lockstep" compression="metadata" introducer="false" skipIntroductionRemovals="false" introducedBy="">
            <address>{ourAddress}</address>
            <paused>false</paused>
            <untrusted>false</untrusted>
          </device>
          <gui enabled="true" tls="false" debugging="false">
            <address>127.0.0.1:{guiPort}</address>
            <apikey>testkey</apikey>
          </gui>
          <options>
            <listenAddress>tcp://127.0.0.1:{listenPort}</listenAddress>
            <globalAnnounceEnabled>false</globalAnnounceEnabled>
            <localAnnounceEnabled>false</localAnnounceEnabled>
            <relaysEnabled>false</relaysEnabled>
            <natEnabled>false</natEnabled>
            <urAccepted>-1</urAccepted>
            <crashReportingEnabled>false</crashReportingEnabled>
            <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
            <startBrowser>false</startBrowser>
            <reconnectionIntervalS>5</reconnectionIntervalS>
            <setLowPriority>false</setLowPriority>
            <insecureAllowOldTLSVersions>false</insecureAllowOldTLSVersions>
          </options>
        </configuration>
        """;
}
