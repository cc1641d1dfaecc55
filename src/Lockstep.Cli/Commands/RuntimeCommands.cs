using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Lockstep.Cli.Client;
using Lockstep.Contracts;
using Lockstep.Contracts.Rest;
using Lockstep.FileSystem;

namespace Lockstep.Cli.Commands;

/// <summary>
/// The runtime commands that drive a running node through its REST API (ARCHITECTURE.md §4): status, pause,
/// resume, override, revert. With no node running they exit 1 and say how to start one.
/// </summary>
internal static class RuntimeCommands
{
    public static Command Status()
    {
        var node = new NodeOptions();
        var command = node.AddTo(new Command("status", "What the running node's folders and devices are doing"));
        command.SetAction((parse, ct) => CommonOptions.GuardAsync(async () =>
        {
            using var client = node.Connect(parse);
            var status = await client.GetAsync("rest/lockstep/status", ContractsJsonContext.Default.NodeStatus, ct);
            if (parse.GetValue(node.Json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(status, ContractsJsonContext.Default.NodeStatus));
                return ExitCodes.Ok;
            }
            Tables.Write(["folder", "state", "local", "global", "need", "conflicts", "completion", "note"], status.Folders.Select(f => new[]
            {
                f.Id, f.State, $"{f.LocalFiles} files, {ByteSizes.Format(f.LocalBytes)}", $"{f.GlobalFiles} files, {ByteSizes.Format(f.GlobalBytes)}",
                f.NeedFiles == 0 ? "-" : $"{f.NeedFiles} items, {ByteSizes.Format(f.NeedBytes)}", f.Conflicts.ToString(CultureInfo.InvariantCulture),
                string.Join(" ", f.Completion.Select(c => $"{c.Key[..7]} {c.Value.ToString("0.##", CultureInfo.InvariantCulture)}%")),
                f.Reason ?? (f.PullErrors.Count > 0 ? $"{f.PullErrors.Count} items failed: {f.PullErrors[0].Path}: {f.PullErrors[0].Error}" : ""),
            }));
            Tables.Write(["device", "name", "connected", "address", "in", "out"], status.Devices.Select(d => new[]
            {
                d.Id, d.Name, d.Connected ? "yes" : "no", d.Address, ByteSizes.Format(d.InBytesTotal), ByteSizes.Format(d.OutBytesTotal),
            }));
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Pause() => FolderVerb("pause", "Stop scanning and pulling a folder until resumed",
        folder => $"rest/lockstep/folders/{Uri.EscapeDataString(folder)}/pause");

    public static Command Resume()
    {
        var allowDeletes = new Option<bool>("--allow-deletes") { Description = "Let the next pull delete past the folder's maxDeletePercent (once)" };
        return FolderVerb("resume", "Resume a paused folder", (folder, parse) =>
            $"rest/lockstep/folders/{Uri.EscapeDataString(folder)}/resume" + (parse.GetValue(allowDeletes) ? "?allowDeletes=true" : ""), allowDeletes);
    }

    public static Command Override() => FolderVerb("override", "Send-only folder: make this device's state the cluster's",
        folder => $"rest/db/override?folder={Uri.EscapeDataString(folder)}");

    public static Command Revert() => FolderVerb("revert", "Receive-only folder: undo local changes and restore the cluster's state",
        folder => $"rest/db/revert?folder={Uri.EscapeDataString(folder)}");

    private static Command FolderVerb(string name, string description, Func<string, string> path) =>
        FolderVerb(name, description, (folder, _) => path(folder));

    private static Command FolderVerb(string name, string description, Func<string, ParseResult, string> path, params Option[] extra)
    {
        var node = new NodeOptions();
        var folder = new Argument<string>("FOLDERID") { Description = "The folder" };
        var command = node.AddTo(new Command(name, description) { folder });
        foreach (var option in extra)
            command.Options.Add(option);
        command.SetAction((parse, ct) => CommonOptions.GuardAsync(async () =>
        {
            using var client = node.Connect(parse);
            var answer = await client.PostAsync(path(parse.GetValue(folder)!, parse), ContractsJsonContext.Default.CommandAnswer, ct);
            Console.Out.WriteLine(parse.GetValue(node.Json) ? JsonSerializer.Serialize(answer, ContractsJsonContext.Default.CommandAnswer) : $"{answer.Folder}: {answer.Done}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
