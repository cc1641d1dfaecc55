using System.Net.Http.Json;
using System.Text.Json;
using Lockstep.Integration.Tests.Support;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>A long scan reports FolderScanProgress (Syncthing's event) every scanProgressIntervalS.</summary>
public sealed class ScanProgressEventTests
{
    [Fact]
    public async Task A_scan_reports_its_progress_at_the_configured_interval()
    {
        await using var node = TestNode.Create("scanning");
        node.AddFolder("f", Array.Empty<TestNode>());
        node.Configure(c => c.WithFolder(c.Folders.Single() with { ScanProgressIntervalS = 0.005 }));
        // Many files make a scan that lasts long enough to report on, on any machine.
        const int files = 3000, fileSize = 16 * 1024, size = files * fileSize;
        var random = new Random(7);
        var data = new byte[fileSize];
        for (int i = 0; i < files; i++)
        {
            random.NextBytes(data);
            File.WriteAllBytes(Path.Combine(node.FolderPath("f"), $"file{i:D4}.bin"), data);
        }
        await node.StartAsync();

        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.Host.Api!.Address}/") };
        http.DefaultRequestHeaders.Add("X-API-Key", Lockstep.Node.Config.ConfigFile.Load(node.Home.ConfigPath).Api.Key);
        await Eventually.TrueAsync(() => node.Host.Index!.Folder("f").GetLocal("file2999.bin") is not null && node.Host.Runners[0].State == Lockstep.Sync.Folders.FolderState.Idle,
            TimeSpan.FromSeconds(60), "the scan to record every file");
        var progress = (await http.GetFromJsonAsync<List<JsonElement>>("rest/events?events=FolderScanProgress&timeout=0"))!;
        Assert.NotEmpty(progress);
        foreach (var entry in progress.Select(e => e.GetProperty("data")))
        {
            Assert.Equal("f", entry.GetProperty("folder").GetString());
            Assert.InRange(entry.GetProperty("total").GetInt64(), 0, size); // what the walk has found so far
            Assert.InRange(entry.GetProperty("current").GetInt64(), 0, entry.GetProperty("total").GetInt64());
            Assert.True(entry.GetProperty("rate").GetDouble() >= 0);
        }
        Assert.Contains(progress, e => e.GetProperty("data").GetProperty("total").GetInt64() == size); // hashing, after the walk
        // Once the scan is over, no more progress is reported.
        long last = progress[^1].GetProperty("id").GetInt64();
        var after = await http.GetFromJsonAsync<List<JsonElement>>($"rest/events?events=FolderScanProgress&since={last}&timeout=0.3");
        Assert.Empty(after!);
    }
}
