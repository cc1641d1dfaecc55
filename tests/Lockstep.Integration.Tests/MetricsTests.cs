using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lockstep.Integration.Tests.Support;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>
/// /metrics over real HTTP: the key rule, the series a syncing pair exports, Prometheus's own `promtool check
/// metrics`, and a real Prometheus 2.42 (Debian's, started here on 127.0.0.1) scraping the node with its key.
/// </summary>
public sealed class MetricsTests : ApiPairTests
{
    private readonly TempDirectory _dir = new("metrics");

    protected override void BeforeStart() => B.Configure(c => c with { Api = c.Api with { MetricsNoAuth = true } });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>The value of one series (name and exact label set), or null when it is not exported.</summary>
    private static double? Value(string text, string series)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
        }
        return null;
    }

    [Fact]
    public async Task The_node_exports_its_folders_devices_and_process_and_promtool_accepts_it()
    {
        using var anonymous = Client(A, key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("metrics")).StatusCode);
        using var open = Client(B, key: null);
        Assert.Equal(HttpStatusCode.OK, (await open.GetAsync("metrics")).StatusCode); // b set api.metricsNoAuth
        Assert.Equal(HttpStatusCode.Unauthorized, (await open.GetAsync("rest/system/status")).StatusCode); // only /metrics

        File.WriteAllText(Path.Combine(A.FolderPath("f"), "one.txt"), "12345");
        File.WriteAllText(Path.Combine(A.FolderPath("f"), "two.txt"), "123");
        using var http = Client(A);
        await Eventually.TrueAsync(() => B.Read("f", "one.txt") == "12345" && B.Read("f", "two.txt") == "123", Patience, "the files to reach b");

        string text = "";
        await Eventually.TrueAsync(async () =>
        {
            text = await (await open.GetAsync("metrics")).Content.ReadAsStringAsync();
            return Value(text, "lockstep_folder_local_files{folder=\"f\"}") == 2 && Value(text, "lockstep_pull_items_total{folder=\"f\"}") >= 2;
        }, Patience, "b's metrics to show the two pulled files");
        Assert.Equal(8, Value(text, "lockstep_folder_local_bytes{folder=\"f\"}"));
        Assert.Equal(2, Value(text, "lockstep_folder_global_files{folder=\"f\"}"));
        Assert.Equal(0, Value(text, "lockstep_folder_need_bytes{folder=\"f\"}"));
        Assert.Equal(8, Value(text, "lockstep_pull_bytes_total{folder=\"f\"}"));
        Assert.Equal(0, Value(text, "lockstep_folder_conflicts{folder=\"f\"}"));
        var connected = text.Split('\n').Single(l => l.StartsWith($"lockstep_device_connected{{device=\"{A.Id}\",name=\"", StringComparison.Ordinal));
        Assert.EndsWith(" 1", connected);
        Assert.True(Value(text, $"lockstep_device_in_bytes_total{{device=\"{A.Id}\"}}") > 0);
        Assert.True(Value(text, "lockstep_scan_duration_seconds_count{folder=\"f\"}") >= 1);
        Assert.Equal(Value(text, "lockstep_scan_duration_seconds_count{folder=\"f\"}"), Value(text, "lockstep_scan_duration_seconds_bucket{folder=\"f\",le=\"+Inf\"}"));
        Assert.True(Value(text, "lockstep_process_cpu_seconds_total") > 0);
        Assert.True(Value(text, "lockstep_process_resident_memory_bytes") > 1_000_000);
        // Where the memory goes: the managed heap within what the GC has committed, and SQLite's share (b's index is open).
        Assert.InRange(Value(text, "lockstep_gc_committed_bytes")!.Value, Value(text, "lockstep_gc_heap_bytes")!.Value * 0.5, 4e9);
        Assert.True(Value(text, "lockstep_index_memory_bytes") > 10_000);
        Assert.NotNull(Value(text, "lockstep_gc_collections_total{generation=\"0\"}"));
        Assert.InRange(Value(text, "lockstep_gc_pause_seconds_total")!.Value, 0, 600);
        // The node raised the pool's floor, so its threads may exceed one per core; nothing starves at rest.
        Assert.InRange(Value(text, "lockstep_threadpool_threads")!.Value, 1, 10_000);
        Assert.NotNull(Value(text, "lockstep_threadpool_queued_items"));
        Assert.InRange(Value(text, "lockstep_memory_trims_total")!.Value, 0, Lockstep.Node.Hosting.IdleMemoryTrimmer.Trims); // it counts, and counts only up
        ThreadPool.GetMinThreads(out int minWorkers, out _);
        Assert.True(minWorkers >= Lockstep.Node.Hosting.ThreadPoolFloor.MinWorkerThreads, $"a running node keeps the pool's floor at {Lockstep.Node.Hosting.ThreadPoolFloor.MinWorkerThreads}, found {minWorkers}");
        var states = text.Split('\n').Where(l => l.StartsWith("lockstep_folder_state{folder=\"f\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, states.Count);
        Assert.Equal(1, states.Sum(l => double.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture))); // exactly one state at a time
        Assert.Contains("# TYPE lockstep_pull_items_total counter", text);
        Assert.Contains("# TYPE lockstep_scan_duration_seconds histogram", text);

        // Each pause on its own, from the runtime's GC events: a collection now shows up in the histogram.
        double before = Value(text, "lockstep_gc_pause_seconds_count") ?? 0;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        await Eventually.TrueAsync(async () =>
        {
            text = await (await open.GetAsync("metrics")).Content.ReadAsStringAsync();
            return Value(text, "lockstep_gc_pause_seconds_count") > before;
        }, Patience, "the forced collection's pause in lockstep_gc_pause_seconds");
        Assert.InRange(Value(text, "lockstep_gc_pause_seconds_sum")!.Value, 1e-7, 600);
        Assert.Contains("# TYPE lockstep_gc_pause_seconds histogram", text);

        var promtool = await ProcessRunner.RunAsync("promtool", ["check", "metrics"], stdin: text);
        Assert.True(promtool.ExitCode == 0, promtool.ToString());
    }

    [Fact]
    public async Task A_real_prometheus_scrapes_the_node_with_its_key_and_answers_queries()
    {
        int port = FreePort.Next();
        var configPath = _dir.Combine("prometheus.yml");
        File.WriteAllText(configPath, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: lockstep
                authorization:
                  credentials: {KeyOf(A)}
                static_configs:
                  - targets: ['{A.Host.Api!.Address}']
            """);
        var psi = new System.Diagnostics.ProcessStartInfo("prometheus")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "--config.file=" + configPath, "--storage.tsdb.path=" + _dir.Combine("data"),
                     "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(arg);
        using var prometheus = System.Diagnostics.Process.Start(psi)!;
        var stderr = prometheus.StandardError.ReadToEndAsync();
        _ = prometheus.StandardOutput.ReadToEndAsync();
        try
        {
            File.WriteAllText(Path.Combine(A.FolderPath("f"), "seen.txt"), "abc");
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            JsonElement result = default;
            await Eventually.TrueAsync(async () =>
            {
                try
                {
                    var answer = await http.GetFromJsonAsync<JsonElement>("api/v1/query?query=" + Uri.EscapeDataString("lockstep_folder_local_files{folder=\"f\"}"));
                    result = answer.GetProperty("data").GetProperty("result");
                    return result.GetArrayLength() == 1 && result[0].GetProperty("value")[1].GetString() == "1";
                }
                catch (HttpRequestException)
                {
                    return false; // still starting
                }
            }, Patience, "Prometheus to hold lockstep_folder_local_files = 1 for folder f");
            Assert.Equal("lockstep", result[0].GetProperty("metric").GetProperty("job").GetString());
            var up = await http.GetFromJsonAsync<JsonElement>("api/v1/query?query=up");
            Assert.Equal("1", up.GetProperty("data").GetProperty("result")[0].GetProperty("value")[1].GetString()); // scraped with the key
        }
        finally
        {
            if (!prometheus.HasExited)
            {
                prometheus.Kill();
                await prometheus.WaitForExitAsync();
            }
        }
        _ = await stderr;
    }
}
