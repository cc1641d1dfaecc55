using System.Diagnostics;
using System.Text.Json;
using Lockstep.Testing;

namespace Lockstep.Cli.Tests;

/// <summary>
/// The repo-root `./lockstep` launcher (ARCHITECTURE.md §4): stamp-checked rebuild, a build lock for parallel
/// first calls, build output on stderr only, the caller's directory untouched, and exec (same PID, exit codes
/// and signals go straight to the program). One test: the cases share the launcher's build output.
/// </summary>
public sealed class LauncherTests : IDisposable
{
    private readonly TempDirectory _dir = new("launch");
    private static string Launcher => Path.Combine(RepoRoot.Path, "lockstep");
    private static string Stamp => Path.Combine(RepoRoot.Path, "artifacts", "launcher", ".stamp");

    public void Dispose() => _dir.Dispose();

    private Task<ProcessResult> RunAsync(params string[] args) =>
        ProcessRunner.RunAsync(Launcher, args, TimeSpan.FromMinutes(5), new Dictionary<string, string?> { ["LOCKSTEP_HOME"] = null }, _dir.Path);

    [Fact]
    public async Task Builds_once_under_a_lock_then_execs_the_program()
    {
        var cert = Path.Combine(_dir.Path, "st");
        var expected = await Syncthing.GenerateAsync(cert);
        // Force a rebuild, then two first calls at once: the lock makes one build and the other wait.
        if (File.Exists(Stamp))
            File.Delete(Stamp);
        var calls = await Task.WhenAll(RunAsync("id", "--cert", Path.Combine(cert, "cert.pem")), RunAsync("id", "--cert", Path.Combine(cert, "cert.pem")));
        foreach (var r in calls)
        {
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal(expected + "\n", r.Stdout); // build output never reaches stdout
        }
        Assert.True(File.Exists(Stamp));
        var stampTime = File.GetLastWriteTimeUtc(Stamp);

        // Nothing changed: no rebuild (the stamp is untouched) and the exit code passes through.
        var usage = await RunAsync("frobnicate");
        Assert.Equal(2, usage.ExitCode);
        Assert.Equal(stampTime, File.GetLastWriteTimeUtc(Stamp));
        Assert.True(Directory.Exists(_dir.Path)); // ran from the caller's directory, which it left alone

        // exec: the node's PID is the launcher's PID.
        var home = Path.Combine(_dir.Path, "home");
        Assert.Equal(0, (await RunAsync("init", "--home", home, "--listen", "tcp://127.0.0.1:0", "--api", "127.0.0.1:0")).ExitCode);
        var psi = new ProcessStartInfo(Launcher) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir.Path };
        foreach (var a in new[] { "serve", "--home", home })
            psi.ArgumentList.Add(a);
        using var node = Process.Start(psi)!;
        _ = node.StandardOutput.ReadToEndAsync();
        _ = node.StandardError.ReadToEndAsync();
        try
        {
            var runtime = Path.Combine(home, "runtime.json");
            await Eventually.TrueAsync(() => File.Exists(runtime), TimeSpan.FromSeconds(60), "runtime.json");
            Assert.Equal(node.Id, JsonDocument.Parse(File.ReadAllText(runtime)).RootElement.GetProperty("pid").GetInt32());
        }
        finally
        {
            Process.Start("kill", ["-TERM", node.Id.ToString()])!.WaitForExit();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await node.WaitForExitAsync(cts.Token);
        }
        Assert.Equal(0, node.ExitCode); // SIGTERM reached the program itself: a clean stop
    }
}
