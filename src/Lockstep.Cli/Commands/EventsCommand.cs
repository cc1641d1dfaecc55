using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Lockstep.Cli.Client;
using Lockstep.Contracts;
using Lockstep.Contracts.Rest;

namespace Lockstep.Cli.Commands;

/// <summary>
/// `lockstep events`: follows the running node's event stream (/rest/events, Syncthing's long poll) and prints one
/// line per event: time, ID, type and the event's fields (or the event as one JSON line with --json). Starts with
/// what the node still holds after --since; --once prints that and exits instead of following.
/// </summary>
internal static class EventsCommand
{

    public static Command Create()
    {
        var node = new NodeOptions();
        var since = new Option<long>("--since") { Description = "Only events after this ID (default 0: everything the node still holds)" };
        var types = new Option<string?>("--types") { Description = "Only these event types, comma-separated (e.g. StateChanged,LocalIndexUpdated)" };
        var once = new Option<bool>("--once") { Description = "Print the events held now and exit instead of following" };
        var command = node.AddTo(new Command("events", "Follow the running node's events (folder states, index updates, connections)") { since, types, once });
        command.SetAction((parse, ct) => CommonOptions.GuardAsync(async () =>
        {
            using var client = node.Connect(parse);
            bool json = parse.GetValue(node.Json);
            long after = Math.Max(0, parse.GetValue(since));
            var filter = parse.GetValue(types) is { Length: > 0 } t ? "&events=" + Uri.EscapeDataString(t) : "";
            bool follow = !parse.GetValue(once);
            try
            {
                do
                {
                    var path = string.Create(CultureInfo.InvariantCulture, $"rest/events?since={after}&timeout={(follow ? 60 : 0)}{filter}");
                    foreach (var e in await client.GetAsync(path, ContractsJsonContext.Default.ListEventEntry, ct))
                    {
                        Console.Out.WriteLine(json ? JsonSerializer.Serialize(e, ContractsJsonContext.Compact.EventEntry) : Line(e));
                        after = e.Id;
                    }
                    await Console.Out.FlushAsync(ct);
                }
                while (follow && !ct.IsCancellationRequested);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl-C ends following; that is how it is meant to end.
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>"12:00:01.234  #17  StateChanged  folder=f1 from=idle to=scanning duration=0.5".</summary>
    private static string Line(EventEntry e)
    {
        var fields = e.Data.ValueKind == JsonValueKind.Object
            ? string.Join(' ', e.Data.EnumerateObject().Select(p => $"{p.Name}={Value(p.Value)}"))
            : e.Data.ToString();
        return string.Create(CultureInfo.InvariantCulture, $"{e.Time.ToLocalTime():HH:mm:ss.fff}  #{e.Id}  {e.Type}  {fields}");
    }

    private static string Value(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() is { } s && s.Contains(' ') ? $"\"{s}\"" : v.GetString() ?? "",
        JsonValueKind.Array => v.GetArrayLength() <= 5 ? "[" + string.Join(',', v.EnumerateArray().Select(Value)) + "]" : $"[{v.GetArrayLength()} items]",
        JsonValueKind.Object => "{…}",
        _ => v.GetRawText(),
    };
}
