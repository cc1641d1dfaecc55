using Lockstep.Testing;

namespace Lockstep.Cli.Tests;

/// <summary>The deployment files in deploy/ are checked by the tools that read them.</summary>
public sealed class DeployTests
{
    [Fact]
    public async Task The_systemd_unit_passes_systemd_analyze_and_runs_serve_stopped_by_sigterm()
    {
        var unitPath = Path.Combine(RepoRoot.Path, "deploy", "systemd", "lockstep.service");
        var unit = File.ReadAllText(unitPath);
        var lines = unit.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("Type=exec", lines);
        Assert.Contains("KillSignal=SIGTERM", lines);
        Assert.Contains("ExecStart=/opt/lockstep/lockstep serve --home /var/lib/lockstep", lines);
        Assert.Contains("StateDirectory=lockstep", lines);
        Assert.Contains("StateDirectoryMode=0700", lines);

        // systemd-analyze checks the program exists, so point it at this build's program.
        using var dir = new TempDirectory("unit");
        var program = Path.Combine(Path.GetDirectoryName(Cli.Dll)!, "lockstep");
        Assert.True(File.Exists(program), $"the build has no {program}");
        var copy = dir.Combine("lockstep.service");
        File.WriteAllText(copy, unit.Replace("/opt/lockstep/lockstep", program, StringComparison.Ordinal));
        var verify = await ProcessRunner.RunAsync("systemd-analyze", ["verify", copy]);
        Assert.True(verify.ExitCode == 0 && verify.Stdout.Trim() == "" && verify.Stderr.Trim() == "", verify.ToString());
    }
}
