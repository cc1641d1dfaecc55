using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Lockstep.Testing;

namespace Lockstep.Cli.Tests;

/// <summary>
/// kill -9 of a node in the middle of pulling a big file: the target never holds a partial file, and after a
/// restart the pull completes without fetching again the blocks already verified in the temp file.
/// </summary>
public sealed class CrashResumeTests : IDisposable
{
    private readonly TempDirectory _dir = new("crash-resume");
    private const long Size = 256L * 1024 * 1024;

    public void Dispose() => _dir.Dispose();

    private static async Task<string> OkAsync(params string[] args)
    {
        var r = await Cli.RunAsync(args);
        Assert.True(r.ExitCode == 0, $"lockstep {string.Join(' ', args)}: {r}");
        return r.Stdout.Trim();
    }

    private static JsonElement Runtime(string home) => JsonDocument.Parse(File.ReadAllText(Path.Combine(home, "runtime.json"))).RootElement.Clone();

    /// <summary>The pull counters of folder f from the node's REST API, or null while it cannot answer.</summary>
    private static async Task<JsonElement?> PullAsync(string home)
    {
        try
        {
            var api = Runtime(home).GetProperty("apiAddress").GetString();
            var key = File.ReadAllLines(Path.Combine(home, "config.yaml")).Select(l => l.Trim()).First(l => l.StartsWith("key:", StringComparison.Ordinal))[4..].Trim();
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Add("X-API-Key", key);
            var status = await http.GetFromJsonAsync<JsonElement>($"http://{api}/rest/lockstep/status");
            return status.GetProperty("folders")[0].GetProperty("pull");
        }
        catch (Exception e) when (e is IOException or HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    [Fact]
    public async Task A_pull_killed_midway_never_leaves_a_partial_target_and_resumes_without_refetching()
    {
        string homeA = _dir.Combine("a"), homeB = _dir.Combine("b"), folderA = _dir.Combine("fa"), folderB = _dir.Combine("fb");
        var idA = await OkAsync("init", "--home", homeA, "--name", "a", "--listen", "tcp://127.0.0.1:0", "--api", "127.0.0.1:0");
        var idB = await OkAsync("init", "--home", homeB, "--name", "b", "--listen", "tcp://127.0.0.1:0", "--api", "127.0.0.1:0");
        await OkAsync("device", "add", "--home", homeA, "--id", idB);
        await OkAsync("folder", "add", "--home", homeA, "--id", "f", "--path", folderA, "--share", idB);
        var data = new byte[Size];
        new Random(7).NextBytes(data);
        File.WriteAllBytes(Path.Combine(folderA, "big.bin"), data);
        var expected = Convert.ToHexString(SHA256.HashData(data));
        data = null!;

        await using var a = ServeProcess.Start(homeA);
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(homeA, "runtime.json")), TimeSpan.FromSeconds(60), $"a to start\n{a}");
        var port = int.Parse(Runtime(homeA).GetProperty("listen").GetString()!.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
        // B reaches A through a slow link with one block in flight, so the pull is still running when B dies.
        await using var proxy = new FaultProxy(port) { DelayToTarget = TimeSpan.FromMilliseconds(10) };
        await OkAsync("device", "add", "--home", homeB, "--id", idA, "--address", proxy.Address);
        await OkAsync("folder", "add", "--home", homeB, "--id", "f", "--path", folderB, "--share", idA);
        File.WriteAllText(Path.Combine(homeB, "config.yaml"), File.ReadAllText(Path.Combine(homeB, "config.yaml"))
            .Replace("pullerMaxPendingKiB: 32768", "pullerMaxPendingKiB: 128", StringComparison.Ordinal));
        var target = Path.Combine(folderB, "big.bin");

        long before;
        {
            await using var b = ServeProcess.Start(homeB);
            JsonElement? pull = null;
            await Eventually.TrueAsync(async () => (pull = await PullAsync(homeB)) is { } p && p.GetProperty("requestedBytes").GetInt64() >= 32L * 1024 * 1024,
                TimeSpan.FromSeconds(120), $"b to be well into the pull\n{b}");
            Assert.False(File.Exists(target)); // only the temp file exists while pulling
            await ProcessRunner.RunAsync("kill", ["-KILL", b.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await Eventually.TrueAsync(() => !File.Exists(Path.Combine(homeB, "lock")) || !IsRunning(b.Pid), TimeSpan.FromSeconds(30), "b to die");
            before = (await PullAsync(homeB))?.GetProperty("requestedBytes").GetInt64() ?? pull!.Value.GetProperty("requestedBytes").GetInt64();
        }
        Assert.False(File.Exists(target), "a killed pull left something at the target path");
        Assert.True(File.Exists(Path.Combine(folderB, ".syncthing.big.bin.tmp")), "the temp file is kept for the restart");

        // Restart over a fast link: the pull completes, taking the verified blocks from the temp file.
        proxy.DelayToTarget = TimeSpan.Zero;
        await using var again = ServeProcess.Start(homeB);
        await Eventually.TrueAsync(() => File.Exists(target) && new FileInfo(target).Length == Size, TimeSpan.FromSeconds(120), $"the pull to complete\n{again}");
        Assert.Equal(expected, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(target))));
        var after = (await PullAsync(homeB))!.Value;
        long refetched = after.GetProperty("requestedBytes").GetInt64();
        long reused = after.GetProperty("copiedBytes").GetInt64();
        Assert.True(reused >= before - 1024 * 1024, $"only {reused} bytes were reused from the temp file after {before} had been fetched");
        Assert.True(refetched <= Size - before + 1024 * 1024, $"{refetched} bytes were requested again after {before} had been fetched");
        Assert.False(File.Exists(Path.Combine(folderB, ".syncthing.big.bin.tmp")));
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            return !System.Diagnostics.Process.GetProcessById(pid).HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
