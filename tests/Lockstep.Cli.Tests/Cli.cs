using Lockstep.Testing;

namespace Lockstep.Cli.Tests;

/// <summary>Runs the built `lockstep` program as a real process (exit codes and streams as a user sees them).</summary>
internal static class Cli
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "lockstep.dll");

    public static Task<ProcessResult> RunAsync(params string[] args) => RunAsync(args, null);

    public static Task<ProcessResult> RunAsync(string[] args, IDictionary<string, string?>? env)
    {
        var environment = new Dictionary<string, string?> { ["LOCKSTEP_HOME"] = null };
        if (env is not null)
            foreach (var (k, v) in env)
                environment[k] = v;
        return ProcessRunner.RunAsync("dotnet", [Dll, .. args], TimeSpan.FromSeconds(120), environment);
    }

    /// <summary>A fresh, initialised home; returns its path and device ID.</summary>
    public static async Task<(string Home, string Id)> InitAsync(TempDirectory dir, string name = "node-a")
    {
        var home = dir.Combine("home");
        // Port 0: tests never compete for Lockstep's default ports (22001, API 8385) when they run in parallel.
        var r = await RunAsync("init", "--home", home, "--name", name, "--listen", "tcp://127.0.0.1:0", "--api", "127.0.0.1:0");
        Assert.True(r.ExitCode == 0, r.ToString());
        return (home, r.Stdout.Trim());
    }
}
