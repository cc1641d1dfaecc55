using System.Text.Json;
using Lockstep.Integration.Tests.Support;
using Lockstep.Protocol.Identity;
using Lockstep.Testing;
using Xunit.Abstractions;

namespace Lockstep.Integration.Tests;

/// <summary>
/// Tools written for Syncthing's REST API must work against Lockstep unchanged. A real Syncthing 1.19 and a Lockstep
/// node share a folder; both are asked the same questions and their answers must have the same shape: every field
/// Syncthing writes is there in Lockstep's answer with the same JSON type (except the few listed below, which
/// describe Syncthing machinery Lockstep does not have), and the values that must agree do.
/// </summary>
public sealed class SyncthingRestShapeTests : IAsyncLifetime
{
    private const string F = "f";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new("st-shape");
    private readonly ITestOutputHelper _output;
    private TestNode _ls = null!;
    private SyncthingNode _st = null!;

    /// <summary>Fields of Syncthing's answers that describe what Lockstep does not have (global discovery, relays, usage reporting, its own GUI).</summary>
    private static readonly HashSet<string> NotApplicable = new(StringComparer.Ordinal)
    {
        "system/status.connectionServiceStatus", "system/status.discoveryEnabled", "system/status.discoveryErrors",
        "system/status.discoveryMethods", "system/status.discoveryStatus", "system/status.guiAddressOverridden",
        "system/status.guiAddressUsed", "system/status.lastDialStatus", "system/status.urVersionMax", "system/status.cpuPercent",
        "system/version.isBeta", "system/version.isCandidate", "system/version.isRelease", "system/version.date",
        "system/version.tags", "system/version.stamp", "system/version.user", "system/version.container",
        "config.ldap",
    };

    /// <summary>Sections checked for presence only: Syncthing's GUI and its discovery, relay, NAT and reporting options.</summary>
    private static readonly HashSet<string> PresenceOnly = new(StringComparer.Ordinal) { "config.options", "config.gui" };

    public SyncthingRestShapeTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync()
    {
        var stHome = _dir.Combine("st-home");
        var stId = DeviceId.Parse(await Syncthing.GenerateAsync(stHome));
        var stFolder = _dir.Combine("st-f");
        Directory.CreateDirectory(stFolder);
        File.WriteAllText(Path.Combine(stFolder, "from-st.txt"), "syncthing wrote this");
        int stPort = FreePort.Next();
        _ls = TestNode.Create("ls");
        _ls.AddDevice(stId, "st", $"tcp://127.0.0.1:{stPort}");
        _ls.AddFolder(F, stId);
        File.WriteAllText(Path.Combine(_ls.FolderPath(F), "from-ls.txt"), "lockstep wrote this");
        _st = await SyncthingNode.StartAsync(new SyncthingOptions
        {
            Home = stHome, ListenPort = stPort,
            Folders = [new SyncthingFolder(F) { Path = stFolder }],
            Devices = [new SyncthingDevice(_ls.Id.ToString()) { Name = "ls", Addresses = [_ls.Address] }],
        });
        await _ls.StartAsync();
        await Eventually.TrueAsync(() => _ls.Read(F, "from-st.txt") is not null && File.Exists(Path.Combine(stFolder, "from-ls.txt")), Patience,
            "both files on both nodes");
        await _st.WaitForFolderIdleAsync(F, 2, Patience);
    }

    public async Task DisposeAsync()
    {
        await _ls.DisposeAsync();
        await _st.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<JsonElement> LockstepAsync(string pathAndQuery)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{_ls.Host.Api!.Address}/") };
        http.DefaultRequestHeaders.Add("X-API-Key", Lockstep.Node.Config.ConfigFile.Load(_ls.Home.ConfigPath).Api.Key);
        var text = await http.GetStringAsync(pathAndQuery);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Lockstep_answers_syncthings_questions_in_syncthings_shape()
    {
        string st = _st.DeviceId, ls = _ls.Id.ToString();
        var questions = new (string Name, string Syncthing, string Lockstep)[]
        {
            ("system/version", "rest/system/version", "rest/system/version"),
            ("system/status", "rest/system/status", "rest/system/status"),
            ("system/ping", "rest/system/ping", "rest/system/ping"),
            ("system/connections", "rest/system/connections", "rest/system/connections"),
            ("db/status", $"rest/db/status?folder={F}", $"rest/db/status?folder={F}"),
            ("db/completion", $"rest/db/completion?folder={F}&device={ls}", $"rest/db/completion?folder={F}&device={st}"),
            ("db/need", $"rest/db/need?folder={F}", $"rest/db/need?folder={F}"),
            ("db/file", $"rest/db/file?folder={F}&file=from-st.txt", $"rest/db/file?folder={F}&file=from-st.txt"),
            ("db/remoteneed", $"rest/db/remoteneed?folder={F}&device={ls}", $"rest/db/remoteneed?folder={F}&device={st}"),
            ("events", "rest/events?since=0&timeout=0&limit=1", "rest/events?since=0&timeout=0&limit=1"),
            ("config", "rest/config", "rest/config"),
            ("config/folder", $"rest/config/folders/{F}", $"rest/config/folders/{F}"),
            ("config/device", $"rest/config/devices/{st}", $"rest/config/devices/{ls}"),
            ("config/devices", "rest/config/devices", "rest/config/devices"),
        };
        var problems = new List<string>();
        foreach (var (name, stPath, lsPath) in questions)
        {
            var theirs = await _st.Rest.GetAsync(stPath);
            var ours = await LockstepAsync(lsPath);
            _output.WriteLine($"{name}\n  syncthing: {theirs}\n  lockstep:  {ours}");
            Compare(name, theirs, ours, problems);
        }

        // Event data: the same event type carries the same fields. (A FolderSummary comes once the folder has rested a moment.)
        await Eventually.TrueAsync(async () => (await LockstepAsync("rest/events?events=FolderSummary&timeout=0")).GetArrayLength() > 0, Patience,
            "Lockstep's FolderSummary event");
        var stEvents = await _st.Rest.GetAsync("rest/events?since=0&timeout=0");
        var lsEvents = await LockstepAsync("rest/events?since=0&timeout=0");
        foreach (var type in new[] { "StateChanged", "DeviceConnected", "LocalIndexUpdated", "RemoteIndexUpdated", "FolderSummary", "StartupComplete", "ItemStarted", "ItemFinished", "FolderCompletion" })
        {
            var theirs = stEvents.EnumerateArray().LastOrDefault(e => e.GetProperty("type").GetString() == type);
            var ours = lsEvents.EnumerateArray().LastOrDefault(e => e.GetProperty("type").GetString() == type);
            if (theirs.ValueKind == JsonValueKind.Undefined)
                continue; // Syncthing did not emit one in this run: nothing to compare
            if (ours.ValueKind == JsonValueKind.Undefined)
            {
                problems.Add($"events: Lockstep emitted no {type}");
                continue;
            }
            Compare("event " + type, theirs.GetProperty("data"), ours.GetProperty("data"), problems);
        }

        Assert.True(problems.Count == 0, "Lockstep's answers differ from Syncthing's shape:\n" + string.Join('\n', problems));

        // Values that must agree: who is who, and what the shared file is.
        var stFile = await _st.Rest.GetAsync($"rest/db/file?folder={F}&file=from-ls.txt");
        var lsFile = await LockstepAsync($"rest/db/file?folder={F}&file=from-ls.txt");
        foreach (var key in new[] { "name", "type", "size", "modified", "modifiedBy", "permissions", "numBlocks", "deleted" })
            Assert.Equal(stFile.GetProperty("global").GetProperty(key).ToString(), lsFile.GetProperty("global").GetProperty(key).ToString());
        Assert.Equal(stFile.GetProperty("global").GetProperty("version").EnumerateArray().Select(v => v.GetString()),
            lsFile.GetProperty("global").GetProperty("version").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(ls, (await LockstepAsync("rest/system/status")).GetProperty("myID").GetString());
        Assert.True((await LockstepAsync("rest/system/connections")).GetProperty("connections").GetProperty(st).GetProperty("connected").GetBoolean());
        Assert.True((await _st.Rest.GetAsync("rest/system/connections")).GetProperty("connections").GetProperty(ls).GetProperty("connected").GetBoolean());

        // Changes are answered alike: the same status, and (for a change that is made) Syncthing's empty body.
        var extraFolder = _dir.Combine("extra");
        Directory.CreateDirectory(extraFolder);
        var changes = new (HttpMethod Method, string Path, string? Body)[]
        {
            (HttpMethod.Patch, $"rest/config/folders/{F}", """{"label":"renamed"}"""),
            (HttpMethod.Post, "rest/config/folders", $$"""{"id":"extra","path":"{{extraFolder}}"}"""),
            (HttpMethod.Put, "rest/config/folders/extra", $$"""{"id":"extra","label":"put","path":"{{extraFolder}}"}"""),
            (HttpMethod.Delete, "rest/config/folders/extra", null),
            (HttpMethod.Delete, "rest/config/folders/extra", null), // gone now: deleting it again is done already (200)
            (HttpMethod.Get, "rest/config/folders/extra", null), // 404
            (HttpMethod.Patch, "rest/config/folders/extra", "{}"), // 404
            (HttpMethod.Delete, $"rest/config/devices/{Unknown}", null), // never configured: 200
            (HttpMethod.Get, $"rest/config/devices/{Unknown}", null), // 404
            (HttpMethod.Patch, $"rest/config/devices/{Unknown}", "{}"), // 404
            (HttpMethod.Delete, "rest/config/devices/not-a-device-id", null), // 400
            (HttpMethod.Get, "rest/config/devices/not-a-device-id", null), // 400
            (HttpMethod.Patch, "rest/config/devices/not-a-device-id", "{}"), // 400
        };
        foreach (var (method, path, body) in changes)
        {
            var theirs = await SendAsync(_st.GuiAddress, _st.ApiKey, method, path, body);
            var ours = await SendAsync(new Uri($"http://{_ls.Host.Api!.Address}/"), Lockstep.Node.Config.ConfigFile.Load(_ls.Home.ConfigPath).Api.Key, method, path, body);
            _output.WriteLine($"{method} {path}: syncthing {theirs.Status} '{theirs.Body}', lockstep {ours.Status} '{ours.Body}'");
            Assert.Equal(theirs.Status, ours.Status);
            if (theirs.Status == System.Net.HttpStatusCode.OK)
                Assert.Equal(theirs.Body, ours.Body);
        }
        Assert.Equal("renamed", (await LockstepAsync($"rest/config/folders/{F}")).GetProperty("label").GetString());
    }

    /// <summary>A well-formed device ID neither node has configured.</summary>
    private static readonly string Unknown = new DeviceId(Enumerable.Repeat((byte)7, 32).ToArray()).ToString();

    private static async Task<(System.Net.HttpStatusCode Status, string Body)> SendAsync(Uri baseAddress, string key, HttpMethod method, string path, string? body)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-API-Key", key);
        if (body is not null)
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every field of Syncthing's answer must be in ours with the same JSON type; arrays compare their first elements.</summary>
    private static void Compare(string path, JsonElement theirs, JsonElement ours, List<string> problems)
    {
        if (theirs.ValueKind == JsonValueKind.Null)
            return; // Syncthing's "unknown": any value will do
        if (Kind(theirs) != Kind(ours))
        {
            problems.Add($"{path}: Syncthing has {theirs.ValueKind} ({Short(theirs)}), Lockstep {ours.ValueKind} ({Short(ours)})");
            return;
        }
        if (theirs.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in theirs.EnumerateObject())
            {
                var key = $"{path}.{property.Name}";
                if (NotApplicable.Contains(key) || IsDeviceKeyed(path, property.Name) || key == "events[0].data") // event data: compared type by type below
                    continue;
                if (!ours.TryGetProperty(property.Name, out var mine))
                    problems.Add($"{key}: missing (Syncthing: {Short(property.Value)})");
                else if (!PresenceOnly.Contains(key))
                    Compare(key, property.Value, mine, problems);
            }
            if (theirs.EnumerateObject().Any(p => IsDeviceKeyed(path, p.Name)) && ours.EnumerateObject().FirstOrDefault() is { Value.ValueKind: not JsonValueKind.Undefined } first)
                Compare(path + ".<device>", theirs.EnumerateObject().First(p => IsDeviceKeyed(path, p.Name)).Value, first.Value, problems);
        }
        else if (theirs.ValueKind == JsonValueKind.Array && theirs.GetArrayLength() > 0 && ours.GetArrayLength() > 0)
        {
            Compare(path + "[0]", theirs[0], ours[0], problems);
        }
    }

    /// <summary>connections is keyed by device ID, which differs between the two nodes by nature.</summary>
    private static bool IsDeviceKeyed(string path, string key) => path.EndsWith(".connections", StringComparison.Ordinal) && key.Length == 63;

    private static string Kind(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? "bool" : e.ValueKind.ToString();

    private static string Short(JsonElement e)
    {
        var text = e.ToString();
        return text.Length > 60 ? text[..60] + "…" : text;
    }
}
