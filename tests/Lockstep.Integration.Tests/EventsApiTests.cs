using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lockstep.Integration.Tests.Support;
using Lockstep.Testing;

namespace Lockstep.Integration.Tests;

/// <summary>/rest/events over real HTTP: Syncthing's long poll and Server-Sent Events, with Syncthing's event names and fields.</summary>
public sealed class EventsApiTests : ApiPairTests
{
    private static async Task<List<JsonElement>> PollAsync(HttpClient http, string query) =>
        (await http.GetFromJsonAsync<List<JsonElement>>("rest/events?" + query))!;

    private static bool Is(JsonElement e, string type) => e.GetProperty("type").GetString() == type;

    [Fact]
    public async Task The_long_poll_reports_connections_states_and_index_updates_with_syncthings_fields()
    {
        using var http = Client(A);
        using var anonymous = new HttpClient { BaseAddress = http.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("rest/events?timeout=0")).StatusCode);

        // What happened since start: the node started, b connected, the folder was scanned.
        await Eventually.TrueAsync(async () => (await PollAsync(http, "timeout=0")).Any(e => Is(e, "DeviceConnected")), Patience, "DeviceConnected");
        var all = await PollAsync(http, "timeout=0");
        Assert.Equal(all.Select(e => e.GetProperty("id").GetInt64()).Order(), all.Select(e => e.GetProperty("id").GetInt64()));
        foreach (var e in all)
        {
            Assert.True(e.GetProperty("id").GetInt64() > 0);
            Assert.Equal(e.GetProperty("id").GetInt64(), e.GetProperty("globalID").GetInt64());
            Assert.True(DateTimeOffset.TryParse(e.GetProperty("time").GetString(), out _));
            Assert.Equal(JsonValueKind.Object, e.GetProperty("data").ValueKind);
        }
        Assert.Equal(A.Id.ToString(), all.Single(e => Is(e, "StartupComplete")).GetProperty("data").GetProperty("myID").GetString());
        var connected = all.First(e => Is(e, "DeviceConnected")).GetProperty("data");
        Assert.Equal(B.Id.ToString(), connected.GetProperty("id").GetString());
        Assert.StartsWith("127.0.0.1:", connected.GetProperty("addr").GetString());
        Assert.Equal("lockstep", connected.GetProperty("clientName").GetString());
        Assert.False(string.IsNullOrEmpty(connected.GetProperty("deviceName").GetString()));
        var state = all.First(e => Is(e, "StateChanged")).GetProperty("data");
        Assert.Equal("f", state.GetProperty("folder").GetString());
        Assert.Equal(JsonValueKind.Number, state.GetProperty("duration").ValueKind);
        Assert.Contains(state.GetProperty("to").GetString(), new[] { "scanning", "syncing", "idle" });

        // A long poll waits for the next event: a file written on b shows up as b's RemoteIndexUpdated and a's own LocalIndexUpdated.
        long last = all[^1].GetProperty("id").GetInt64();
        var waiting = PollAsync(http, $"since={last}&events=LocalIndexUpdated&timeout=60");
        File.WriteAllText(Path.Combine(B.FolderPath("f"), "new.txt"), "news");
        var local = await waiting.WaitAsync(Patience);
        var data = Assert.Single(local).GetProperty("data");
        Assert.True(local[0].GetProperty("id").GetInt64() > last);
        Assert.Equal("f", data.GetProperty("folder").GetString());
        Assert.Equal(1, data.GetProperty("items").GetInt32());
        Assert.Equal("new.txt", Assert.Single(data.GetProperty("filenames").EnumerateArray()).GetString());
        Assert.True(data.GetProperty("sequence").GetInt64() > 0);
        var remote = (await PollAsync(http, $"since={last}&events=RemoteIndexUpdated&timeout=0")).Select(e => e.GetProperty("data")).ToList();
        Assert.Contains(remote, r => r.GetProperty("device").GetString() == B.Id.ToString() && r.GetProperty("folder").GetString() == "f"
                                     && r.GetProperty("items").GetInt32() >= 1);
        // a pulled it: one ItemStarted and one ItemFinished (no error) for the file.
        var started = (await PollAsync(http, $"since={last}&events=ItemStarted&timeout=0")).Select(e => e.GetProperty("data")).Single();
        Assert.Equal(("new.txt", "f", "file", "update"), (started.GetProperty("item").GetString(), started.GetProperty("folder").GetString(),
            started.GetProperty("type").GetString(), started.GetProperty("action").GetString()));
        var finished = (await PollAsync(http, $"since={last}&events=ItemFinished&timeout=0")).Select(e => e.GetProperty("data")).Single();
        Assert.Equal("new.txt", finished.GetProperty("item").GetString());
        Assert.Equal(JsonValueKind.Null, finished.GetProperty("error").ValueKind);
        await Eventually.TrueAsync(async () => (await PollAsync(http, $"since={last}&events=FolderCompletion&timeout=0"))
            .Any(e => e.GetProperty("data").GetProperty("device").GetString() == B.Id.ToString() && e.GetProperty("data").GetProperty("completion").GetDouble() == 100),
            Patience, "a FolderCompletion of 100% for b");
        await Eventually.TrueAsync(async () => (await PollAsync(http, $"since={last}&events=FolderSummary&timeout=0"))
            .Any(e => e.GetProperty("data").GetProperty("summary").GetProperty("localFiles").GetInt64() == 1), Patience, "a FolderSummary with the file");

        // limit keeps the newest; a filter that matches nothing times out with an empty list.
        var newest = await PollAsync(http, "limit=2&timeout=0");
        Assert.Equal(2, newest.Count);
        Assert.Equal((await PollAsync(http, "timeout=0"))[^1].GetProperty("id").GetInt64(), newest[^1].GetProperty("id").GetInt64());
        Assert.Empty(await PollAsync(http, "events=NoSuchEvent&timeout=0.2"));
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("rest/events?timeout=-1")).StatusCode);

        // b stops: a reports the disconnect with the reason.
        await B.StopAsync();
        await Eventually.TrueAsync(async () => (await PollAsync(http, "events=DeviceDisconnected&timeout=0"))
            .Any(e => e.GetProperty("data").GetProperty("id").GetString() == B.Id.ToString() && e.GetProperty("data").GetProperty("error").GetString() != ""),
            Patience, "DeviceDisconnected for b");
    }

    [Fact]
    public async Task Server_sent_events_start_at_once_stream_new_events_and_resume_after_the_last_id()
    {
        using var http = Client(A);
        await Eventually.TrueAsync(async () => (await PollAsync(http, "timeout=0")).Any(e => Is(e, "DeviceConnected")), Patience, "DeviceConnected");
        long last = (await PollAsync(http, "timeout=0"))[^1].GetProperty("id").GetInt64();

        using var request = new HttpRequestMessage(HttpMethod.Get, "rest/events?events=LocalIndexUpdated");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("Last-Event-ID", last.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var cts = new CancellationTokenSource(Patience);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        // The first bytes come at once, before any event: a client knows it is connected.
        Assert.StartsWith(":", await reader.ReadLineAsync(cts.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));

        File.WriteAllText(Path.Combine(A.FolderPath("f"), "one.txt"), "1");
        var first = await ReadEventAsync(reader, cts.Token);
        Assert.Equal("LocalIndexUpdated", first.Type);
        Assert.True(first.Id > last);
        Assert.Contains("one.txt", first.Data.GetProperty("data").GetProperty("filenames").EnumerateArray().Select(n => n.GetString()));

        // A new stream resumed from an older ID replays what came after it, in order.
        using var again = new HttpRequestMessage(HttpMethod.Get, "rest/events?events=LocalIndexUpdated");
        again.Headers.Accept.ParseAdd("text/event-stream");
        again.Headers.Add("Last-Event-ID", last.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var resumed = await http.SendAsync(again, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader2 = new StreamReader(await resumed.Content.ReadAsStreamAsync(cts.Token));
        Assert.Equal(first.Id, (await ReadEventAsync(reader2, cts.Token)).Id);
    }

    private sealed record SseEvent(long Id, string Type, JsonElement Data);

    private static async Task<SseEvent> ReadEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        long id = 0;
        string? type = null, data = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
                type = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
                data = line[6..];
            else if (line.Length == 0 && data is not null)
                return new SseEvent(id, type!, JsonDocument.Parse(data).RootElement);
        }
        throw new EndOfStreamException("the event stream ended");
    }
}
