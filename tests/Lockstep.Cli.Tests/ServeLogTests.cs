using System.Text.Json;
using Lockstep.Testing;

namespace Lockstep.Cli.Tests;

/// <summary>
/// The log contract of `lockstep serve` as an operator's log shipper sees it (ARCHITECTURE.md §3): with stdout
/// redirected every line is one JSON object, and connection events carry stable event IDs and a deviceId field.
/// Two real serve processes, configured only through the CLI, connect to each other on 127.0.0.1.
/// </summary>
public sealed class ServeLogTests : IDisposable
{
    private const int DeviceConnected = 1102, DeviceDisconnected = 1103, NodeStopped = 1002;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new("serve-log");

    public void Dispose() => _dir.Dispose();

    private async Task<string> OkAsync(params string[] args)
    {
        var r = await Cli.RunAsync(args);
        Assert.True(r.ExitCode == 0, $"lockstep {string.Join(' ', args)}: {r}");
        return r.Stdout.Trim();
    }

    /// <summary>Parses one stdout line, failing with the line itself when it is not a JSON object.</summary>
    private static JsonElement Parse(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"stdout line is not JSON ({e.Message}): {line}");
        }
    }

    private static bool IsEvent(JsonElement e, int eventId, string deviceId) =>
        e.GetProperty("EventId").GetInt32() == eventId &&
        e.GetProperty("State").TryGetProperty("deviceId", out var d) && d.GetString() == deviceId;

    /// <summary>The first stdout line so far with this event about this device (every line read is parsed, so a non-JSON line fails at once).</summary>
    private static string? FindEvent(ServeProcess node, int eventId, string deviceId) =>
        node.Lines.FirstOrDefault(l => IsEvent(Parse(l), eventId, deviceId));

    /// <summary>Eventually, with the nodes' stdout as it is at the timeout.</summary>
    private static async Task WaitAsync(Func<bool> condition, string what, params ServeProcess[] nodes)
    {
        try
        {
            await Eventually.TrueAsync(condition, Patience, what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{string.Join('\n', nodes.Select(n => n.ToString()))}", e);
        }
    }

    private static async Task<JsonElement> WaitForEventAsync(ServeProcess node, int eventId, string deviceId, string what, params ServeProcess[] nodes)
    {
        string? line = null;
        await WaitAsync(() => (line = FindEvent(node, eventId, deviceId)) is not null, what, nodes);
        return Parse(line!);
    }

    /// <summary>Every line: a JSON object with the JSON console logger's fields, typed as a consumer expects them.</summary>
    private static void AssertAllLinesAreLogJson(ServeProcess node)
    {
        Assert.NotEmpty(node.Lines);
        foreach (var line in node.Lines)
        {
            var e = Parse(line);
            Assert.True(DateTimeOffset.TryParse(e.GetProperty("Timestamp").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _), line);
            Assert.Equal(JsonValueKind.Number, e.GetProperty("EventId").ValueKind);
            Assert.Contains(e.GetProperty("LogLevel").GetString(), new[] { "Trace", "Debug", "Information", "Warning", "Error", "Critical" });
            Assert.StartsWith("Lockstep.", e.GetProperty("Category").GetString());
            Assert.False(string.IsNullOrEmpty(e.GetProperty("Message").GetString()), line);
            Assert.Equal(JsonValueKind.Object, e.GetProperty("State").ValueKind);
        }
    }

    [Fact]
    public async Task Serve_writes_json_lines_with_connection_events_for_each_peer()
    {
        string homeA = _dir.Combine("a", "home"), homeB = _dir.Combine("b", "home");
        var idA = await OkAsync("init", "--home", homeA, "--name", "node-a", "--listen", "tcp://127.0.0.1:0", "--api", "127.0.0.1:0");
        var idB = await OkAsync("init", "--home", homeB, "--name", "node-b", "--listen", "tcp://127.0.0.1:0", "--api", "127.0.0.1:0");
        // b knows a without an address (it never dials); a dials b once b's bound port is known.
        await OkAsync("device", "add", "--home", homeB, "--id", idA, "--name", "node-a");
        await OkAsync("folder", "add", "--home", homeB, "--id", "f1", "--path", _dir.Combine("b", "f1"));
        await OkAsync("folder", "share", "--home", homeB, "--id", "f1", "--device", idA);
        await OkAsync("device", "add", "--home", homeA, "--id", idB, "--name", "node-b");
        await OkAsync("folder", "add", "--home", homeA, "--id", "f1", "--path", _dir.Combine("a", "f1"), "--share", idB);

        await using var b = ServeProcess.Start(homeB);
        var runtimeB = Path.Combine(homeB, "runtime.json");
        await WaitAsync(() => File.Exists(runtimeB), "b's runtime.json", b);
        var listenB = JsonDocument.Parse(File.ReadAllText(runtimeB)).RootElement.GetProperty("listen").GetString()!;
        Assert.StartsWith("tcp://127.0.0.1:", listenB);
        await OkAsync("device", "add", "--home", homeA, "--id", idB, "--name", "node-b", "--address", listenB);
        await using var a = ServeProcess.Start(homeA);

        var onA = await WaitForEventAsync(a, DeviceConnected, idB, "a's DeviceConnected line for b", a, b);
        var onB = await WaitForEventAsync(b, DeviceConnected, idA, "b's DeviceConnected line for a", a, b);
        foreach (var (connected, name, type) in new[] { (onA, "node-b", "tcp-client"), (onB, "node-a", "tcp-server") })
        {
            Assert.Equal("Information", connected.GetProperty("LogLevel").GetString());
            Assert.Equal("Lockstep.Peers", connected.GetProperty("Category").GetString());
            Assert.StartsWith("DeviceConnected ", connected.GetProperty("Message").GetString());
            var state = connected.GetProperty("State");
            Assert.Equal(name, state.GetProperty("deviceName").GetString());
            Assert.Equal(type, state.GetProperty("type").GetString());
            Assert.StartsWith("127.0.0.1:", state.GetProperty("address").GetString());
            Assert.StartsWith("TLS1.3-", state.GetProperty("crypto").GetString());
            Assert.Equal("lockstep", state.GetProperty("clientName").GetString());
        }

        // a stops; b, the survivor, logs the disconnect with a's device ID, then stops too. Both exit 0.
        Assert.True(await a.TerminateAsync(Patience) == 0, await a.StderrAsync());
        var disconnected = await WaitForEventAsync(b, DeviceDisconnected, idA, "b's DeviceDisconnected line for a", b);
        Assert.StartsWith("DeviceDisconnected " + idA, disconnected.GetProperty("Message").GetString());
        Assert.False(string.IsNullOrEmpty(disconnected.GetProperty("State").GetProperty("reason").GetString()));
        Assert.True(await b.TerminateAsync(Patience) == 0, await b.StderrAsync());

        AssertAllLinesAreLogJson(a);
        AssertAllLinesAreLogJson(b);
        Assert.Contains(a.Lines, l => IsEvent(Parse(l), NodeStopped, idA));
        Assert.Contains(b.Lines, l => IsEvent(Parse(l), NodeStopped, idB));
        Assert.Equal("", await a.StderrAsync());
        Assert.Equal("", await b.StderrAsync());
    }
}
