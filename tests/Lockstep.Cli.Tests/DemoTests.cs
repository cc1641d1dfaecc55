using Lockstep.Testing;

namespace Lockstep.Cli.Tests;

/// <summary>`lockstep demo` as a user runs it: a real process with three nodes that converge and stop on Ctrl-C.</summary>
public sealed class DemoTests : IDisposable
{
    private readonly TempDirectory _dir = new("demo");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_demo_mesh_starts_prints_its_nodes_converges_and_stops_cleanly_on_ctrl_c()
    {
        var data = _dir.Combine("demo-data");
        await using var demo = ServeProcess.Run("demo", "--dir", data, "--nodes", "3", "--interval", "1");
        await Eventually.TrueAsync(() => demo.Lines.Any(l => l.StartsWith("ready", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), $"the demo to be ready\n{demo}");
        var output = string.Join('\n', demo.Lines);
        foreach (var name in new[] { "node-1", "node-2", "node-3" })
            Assert.Contains(name, output);
        Assert.Matches(@"[A-Z2-7]{7}(-[A-Z2-7]{7}){7}", output); // device IDs
        Assert.Contains("key ", output);

        // The workload edits files; a file of our own reaches every replica too.
        var mine = Path.Combine(data, "node-2", "demo", "from-the-test.txt");
        File.WriteAllText(mine, "hello mesh");
        foreach (var node in new[] { "node-1", "node-3" })
        {
            var copy = Path.Combine(data, node, "demo", "from-the-test.txt");
            await Eventually.TrueAsync(() => File.Exists(copy) && File.ReadAllText(copy) == "hello mesh", TimeSpan.FromSeconds(30), $"the file to reach {node}\n{demo}");
        }
        await Eventually.TrueAsync(() => demo.Lines.Any(l => l.Contains("wrote note-", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), $"the workload to run\n{demo}");
        await Eventually.TrueAsync(() => demo.Lines.Any(l => l.Contains("replicas identical", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), $"the replicas to agree\n{demo}");

        // Ctrl-C is SIGINT; a process started from a background job (./test runs test projects in parallel that way)
        // inherits SIGINT ignored, as the shell sets it, and then only SIGTERM can stop the demo the same way.
        int exit = await demo.TerminateAsync(TimeSpan.FromSeconds(60), SigIntIgnored() ? "TERM" : "INT");
        Assert.True(exit == 0, $"exit {exit}\n{demo}\n{await demo.StderrAsync()}");
        Assert.Contains(demo.Lines, l => l.StartsWith("stopping", StringComparison.Ordinal));
    }

    /// <summary>Whether this process (and so its children) ignores SIGINT: bit 2 of SigIgn in /proc/self/status.</summary>
    private static bool SigIntIgnored()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
        return (mask & (1UL << (2 - 1))) != 0;
    }
}
