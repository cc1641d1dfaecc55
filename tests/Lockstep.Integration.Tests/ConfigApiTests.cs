using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Lockstep.Integration.Tests.Support;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>/rest/config over real HTTP: Syncthing's shapes, changes validated, saved and applied without a restart.</summary>
public sealed class ConfigApiTests : ApiPairTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string NewFolderJson(string id, string path, params TestNode[] with) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = id, ["label"] = id, ["path"] = path, ["fsWatcherDelayS"] = 0.05,
            ["devices"] = with.Select(n => new Dictionary<string, string> { ["deviceID"] = n.Id.ToString() }).ToList(),
        });

    [Fact]
    public async Task A_folder_added_over_the_api_syncs_at_once_and_edits_are_saved_and_applied_live()
    {
        using var a = Client(A);
        using var b = Client(B);
        var config = await a.GetFromJsonAsync<JsonElement>("rest/config");
        var f = config.GetProperty("folders").EnumerateArray().Single();
        Assert.Equal("f", f.GetProperty("id").GetString());
        Assert.Equal(new[] { A.Id.ToString(), B.Id.ToString() }.Order(), f.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("deviceID").GetString()).Order());
        Assert.Equal(new[] { A.Id.ToString(), B.Id.ToString() }.Order(), config.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("deviceID").GetString()).Order());

        // Both nodes add folder g over the API; a file written on a reaches b, with no restart.
        var pathA = A.FolderPath("g");
        var pathB = B.FolderPath("g");
        Assert.Equal(HttpStatusCode.OK, (await a.PostAsync("rest/config/folders", Json(NewFolderJson("g", pathA, B)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.PostAsync("rest/config/folders", Json(NewFolderJson("g", pathB, A)))).StatusCode);
        Assert.True(Directory.Exists(Path.Combine(pathA, ".stfolder")));
        File.WriteAllText(Path.Combine(pathA, "live.txt"), "added live");
        await Eventually.TrueAsync(() => B.Read("g", "live.txt") == "added live", Patience, "a file in the new folder to reach b");
        Assert.Contains("id: g", File.ReadAllText(A.Home.ConfigPath)); // saved

        // PATCH changes one field and keeps the rest; the file has it too.
        Assert.Equal(HttpStatusCode.OK, (await a.PatchAsync("rest/config/folders/g", Json("""{"label":"Photos","rescanIntervalS":120}"""))).StatusCode);
        var g = await a.GetFromJsonAsync<JsonElement>("rest/config/folders/g");
        Assert.Equal("Photos", g.GetProperty("label").GetString());
        Assert.Equal(120, g.GetProperty("rescanIntervalS").GetDouble());
        Assert.Equal(pathA, g.GetProperty("path").GetString());
        Assert.Contains("label: Photos", File.ReadAllText(A.Home.ConfigPath));
        File.WriteAllText(Path.Combine(pathA, "after-patch.txt"), "still syncing");
        await Eventually.TrueAsync(() => B.Read("g", "after-patch.txt") == "still syncing", Patience, "the restarted folder to sync");

        // A change that is not valid answers 400 naming the problem and changes nothing.
        var before = File.ReadAllText(A.Home.ConfigPath);
        var bad = await a.PostAsync("rest/config/folders", Json("""{"id":"h","path":"relative/path"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("relative", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await a.PatchAsync("rest/config/folders/g", Json("""{"type":"sideways"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await a.PostAsync("rest/config/folders", Json("not json"))).StatusCode);
        Assert.Equal(before, File.ReadAllText(A.Home.ConfigPath));
        Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync("rest/config/folders/nope")).StatusCode);

        // GET then PUT the whole configuration back changes nothing.
        var whole = await a.GetStringAsync("rest/config");
        Assert.Equal(HttpStatusCode.OK, (await a.PutAsync("rest/config", Json(whole))).StatusCode);
        Assert.Equal(before, File.ReadAllText(A.Home.ConfigPath));

        // DELETE stops the folder; its files stay on disk.
        Assert.Equal(HttpStatusCode.OK, (await a.DeleteAsync("rest/config/folders/g")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync("rest/db/status?folder=g")).StatusCode);
        Assert.True(File.Exists(Path.Combine(pathA, "live.txt")));
        Assert.DoesNotContain("id: g", File.ReadAllText(A.Home.ConfigPath));
    }

    [Fact]
    public async Task A_device_removed_over_the_api_is_disconnected_and_one_added_back_reconnects()
    {
        using var a = Client(A);
        await Eventually.TrueAsync(() => A.Host.Peers!.IsConnected(B.Id), Patience, "b to connect");
        var device = await a.GetFromJsonAsync<JsonElement>($"rest/config/devices/{B.Id}");
        Assert.Equal(B.Address, device.GetProperty("addresses")[0].GetString());
        var self = await a.GetFromJsonAsync<JsonElement>($"rest/config/devices/{A.Id}");
        Assert.Equal("a", self.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await a.DeleteAsync($"rest/config/devices/{A.Id}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await a.DeleteAsync($"rest/config/devices/{B.Id}")).StatusCode);
        await Eventually.TrueAsync(() => !A.Host.Peers!.IsConnected(B.Id), Patience, "a to drop b");
        var f = await a.GetFromJsonAsync<JsonElement>("rest/config/folders/f");
        Assert.Equal([A.Id.ToString()], f.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("deviceID").GetString()));

        // Added back (and the folder shared again): they reconnect and sync.
        Assert.Equal(HttpStatusCode.OK, (await a.PostAsync("rest/config/devices", Json(device.GetRawText()))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.PatchAsync("rest/config/folders/f",
            Json($$"""{"devices":[{"deviceID":"{{A.Id}}"},{"deviceID":"{{B.Id}}"}]}"""))).StatusCode);
        await Eventually.TrueAsync(() => A.Host.Peers!.IsConnected(B.Id), Patience, "a and b to reconnect");
        File.WriteAllText(Path.Combine(A.FolderPath("f"), "back.txt"), "back");
        await Eventually.TrueAsync(() => B.Read("f", "back.txt") == "back", Patience, "the file to reach b again");
    }

    [Fact]
    public async Task An_unknown_device_is_listed_as_pending_and_accepted_by_adding_it()
    {
        await using var c = TestNode.Create("c");
        c.AddDevice(A); // c dials a; a does not know c
        await c.StartAsync();
        using var a = Client(A);
        JsonElement entry = default;
        await Eventually.TrueAsync(async () => (await a.GetFromJsonAsync<JsonElement>("rest/cluster/pending/devices")).TryGetProperty(c.Id.ToString(), out entry),
            Patience, "c to show up as pending on a");
        Assert.StartsWith("127.0.0.1:", entry.GetProperty("address").GetString());
        Assert.True(DateTimeOffset.TryParse(entry.GetProperty("time").GetString(), out _));
        var events = await a.GetFromJsonAsync<List<JsonElement>>("rest/events?events=PendingDevicesChanged&timeout=0");
        Assert.Contains(events!, e => e.GetProperty("data").GetProperty("added")[0].GetProperty("deviceID").GetString() == c.Id.ToString());
        Assert.False(A.Host.Peers!.IsConnected(c.Id));

        // Accepting it is adding it: it leaves the pending list and connects.
        var add = await a.PostAsync("rest/config/devices", Json($$"""{"deviceID":"{{c.Id}}","name":"c"}"""));
        Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        Assert.False((await a.GetFromJsonAsync<JsonElement>("rest/cluster/pending/devices")).TryGetProperty(c.Id.ToString(), out _));
        await Eventually.TrueAsync(() => A.Host.Peers!.IsConnected(c.Id), Patience, "c to connect once accepted");
        Assert.Equal(HttpStatusCode.NotFound, (await a.DeleteAsync($"rest/cluster/pending/devices?device={c.Id}")).StatusCode);
    }

    [Fact]
    public async Task An_editor_replaces_the_file_only_if_it_is_still_what_the_editor_read()
    {
        using var a = Client(A);
        var path = A.Home.ConfigPath;
        var read = Lockstep.Node.Config.ConfigFile.Fingerprint(path);
        var edited = Lockstep.Node.Config.ConfigFile.LoadWithoutOverrides(path) with { Name = "renamed-by-editor" };
        var text = Lockstep.Node.Config.ConfigFile.ToText(edited);

        // Someone else changes the file first: the editor's text is refused (409) and nothing of it is taken.
        Assert.Equal(HttpStatusCode.OK, (await a.PatchAsync("rest/config/folders/f", Json("""{"label":"meanwhile"}"""))).StatusCode);
        var stale = await a.PutAsync("rest/lockstep/config/file", Json(JsonSerializer.Serialize(new { fingerprint = read, yaml = text })));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.DoesNotContain("renamed-by-editor", File.ReadAllText(path));

        // Read again, edit again: taken, saved and live.
        read = Lockstep.Node.Config.ConfigFile.Fingerprint(path);
        text = Lockstep.Node.Config.ConfigFile.ToText(Lockstep.Node.Config.ConfigFile.LoadWithoutOverrides(path) with { Name = "renamed-by-editor" });
        Assert.Equal(HttpStatusCode.OK, (await a.PutAsync("rest/lockstep/config/file", Json(JsonSerializer.Serialize(new { fingerprint = read, yaml = text })))).StatusCode);
        Assert.Equal("renamed-by-editor", A.Host.Config!.Name);
        Assert.Contains("meanwhile", File.ReadAllText(path));
        var invalid = await a.PutAsync("rest/lockstep/config/file", Json(JsonSerializer.Serialize(new
        {
            fingerprint = Lockstep.Node.Config.ConfigFile.Fingerprint(path), yaml = "name: x\nbogusKey: 1\n",
        })));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("renamed-by-editor", A.Host.Config!.Name);
    }
}
