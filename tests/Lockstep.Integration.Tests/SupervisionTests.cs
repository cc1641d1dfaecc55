using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lockstep.Integration.Tests.Support;
using Lockstep.Node.Hosting;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>A folder worker that crashes is restarted, and after too many crashes marked failed, while the node and its other folders go on.</summary>
public sealed class SupervisionTests : IAsyncLifetime
{
    private TestNode _a = null!, _b = null!;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public async Task InitializeAsync()
    {
        _a = TestNode.Create("a");
        _b = TestNode.Create("b");
        TestNode.Share("f1", _a, _b);
        _a.AddFolder("f2", _b);
        _b.AddFolder("f2", _a);
        _a.Supervision = new SupervisorPolicy { MaxCrashes = 3, Window = TimeSpan.FromMinutes(5), FirstDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200) };
        await _a.StartAsync();
        await _b.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private int Crashes => _a.Logs.Lines.Count(l => l.Id.Id == 1010);

    [Fact]
    public async Task A_crashing_folder_is_restarted_then_marked_failed_while_the_other_folder_keeps_syncing()
    {
        var f1 = _a.Host.Runners.Single(r => r.FolderId == "f1");
        f1.Post(() => throw new InvalidOperationException("injected fault 1"));
        await Eventually.TrueAsync(() => Crashes == 1, Patience, "the first crash to be logged");

        // Restarted: f1 syncs again.
        File.WriteAllText(Path.Combine(_a.FolderPath("f1"), "after-crash.txt"), "still here");
        await Eventually.TrueAsync(() => _b.Read("f1", "after-crash.txt") == "still here", Patience, "f1 to sync after its restart");
        Assert.NotEqual(Lockstep.Sync.Folders.FolderState.Error, f1.State);

        // Two more crashes within the window: f1 is marked failed, with the last error.
        f1.Post(() => throw new InvalidOperationException("injected fault 2"));
        f1.Post(() => throw new InvalidOperationException("injected fault 3"));
        await Eventually.TrueAsync(() => f1.State == Lockstep.Sync.Folders.FolderState.Error, Patience, "f1 to be marked failed");
        Assert.Contains("crashed 3 times", f1.Error);
        Assert.Contains("injected fault 3", f1.Error);
        Assert.Contains(_a.Logs.Lines, l => l.Id.Id == 1011 && l.Message.Contains("f1", StringComparison.Ordinal));

        using var http = new HttpClient { BaseAddress = new Uri($"http://{_a.Host.Api!.Address}/") };
        http.DefaultRequestHeaders.Add("X-API-Key", Lockstep.Node.Config.ConfigFile.Load(_a.Home.ConfigPath).Api.Key);
        var status = await http.GetFromJsonAsync<JsonElement>("rest/db/status?folder=f1");
        Assert.Equal("error", status.GetProperty("state").GetString());
        Assert.Contains("crashed 3 times", status.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("readyz")).StatusCode);
        var toError = await http.GetFromJsonAsync<List<JsonElement>>("rest/events?events=StateChanged&timeout=0");
        Assert.Contains(toError!, e => e.GetProperty("data").GetProperty("folder").GetString() == "f1" && e.GetProperty("data").GetProperty("to").GetString() == "error"
                                       && e.GetProperty("data").GetProperty("error").GetString()!.Contains("crashed", StringComparison.Ordinal));
        var metrics = await http.GetStringAsync("metrics");
        Assert.Contains("lockstep_folder_state{folder=\"f1\",state=\"error\"} 1", metrics);

        // The node and f2 go on.
        File.WriteAllText(Path.Combine(_a.FolderPath("f2"), "other.txt"), "unaffected");
        await Eventually.TrueAsync(() => _b.Read("f2", "other.txt") == "unaffected", Patience, "f2 to keep syncing");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
    }
}
