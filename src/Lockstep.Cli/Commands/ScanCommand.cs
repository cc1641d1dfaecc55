using System.CommandLine;
using System.Text.Json;
using Lockstep.Contracts;
using Lockstep.FileSystem;
using Lockstep.FileSystem.Scanning;
using Lockstep.Index;
using Lockstep.Node.Home;
using Lockstep.Node.Hosting;
using Lockstep.Sync.Folders;
using Spectre.Console;

namespace Lockstep.Cli.Commands;

/// <summary>
/// `lockstep scan`: through the running node's API when one runs, else an offline scan under the home lock. A progress bar with files,
/// bytes and rate goes to stderr when stderr is a terminal; the summary goes to stdout.
/// </summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var home = CommonOptions.Home();
        var folder = new Argument<string>("FOLDERID") { Description = "The folder to scan" };
        var wait = new Option<bool>("--wait") { Description = "Wait for the scan to finish (an offline scan always does)" };
        var json = CommonOptions.Json();
        var node = new Client.NodeOptions();
        var command = new Command("scan", "Scan a folder and record what changed in the index (through the node when it runs)") { home, folder, wait, json, node.Api, node.ApiKey };
        command.SetAction((parse, ct) => CommonOptions.GuardAsync(async () =>
        {
            var nodeHome = NodeHome.Resolve(parse.GetValue(home));
            nodeHome.RequireInitialised();
            var folderId = parse.GetValue(folder)!;
            using (var client = node.TryConnect(nodeHome, parse))
            {
                if (client is not null)
                {
                    // The node scans it in its folder loop and answers once the scan is recorded; meanwhile a terminal
                    // shows the node's FolderScanProgress events as a progress bar.
                    var answer = await ScanThroughNodeAsync(client, folderId, ct);
                    Console.Out.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(answer, ContractsJsonContext.Default.CommandAnswer) : $"{answer.Folder}: {answer.Done}");
                    return ExitCodes.Ok;
                }
            }
            using var held = HomeLock.Acquire(nodeHome, $"scan '{folderId}' offline");
            var config = ConfigEditor.Read(nodeHome);
            var folderConfig = ConfigEditor.RequireFolder(config, nodeHome, folderId);
            var problem = FolderMarker.Check(folderConfig.Path);
            if (problem is not null)
                throw new FolderErrorException(folderId, problem);
            var me = NodeInitializer.ReadDeviceId(nodeHome);
            using var index = IndexDatabase.Open(nodeHome.IndexPath);
            var scan = new LocalScan(FolderSettingsFactory.From(folderConfig, me), index.Folder(folderId));
            var summary = await RunWithProgressAsync(scan, ct);
            foreach (var p in summary.Problems)
                Console.Error.WriteLine($"lockstep: warning: {p.Message}");
            if (parse.GetValue(json))
            {
                var report = new ScanReport(folderId, summary.Changed, summary.Deleted, summary.HashedFiles, summary.HashedBytes,
                    summary.Duration.TotalSeconds, summary.Problems.Select(p => p.Message).ToList());
                Console.Out.WriteLine(JsonSerializer.Serialize(report, ContractsJsonContext.Default.ScanReport));
            }
            else
            {
                Console.Out.WriteLine($"{folderId}: {summary.Changed} changed, {summary.Deleted} deleted, " +
                                      $"{summary.HashedFiles} files ({ByteSizes.Format(summary.HashedBytes)}) hashed in {summary.Duration.TotalSeconds:F2} s" +
                                      (summary.Problems.Count > 0 ? $", {summary.Problems.Count} problems (see stderr)" : ""));
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<Lockstep.Contracts.Rest.CommandAnswer> ScanThroughNodeAsync(Client.NodeClient client, string folderId, CancellationToken ct)
    {
        var scan = client.PostAsync($"rest/db/scan?folder={Uri.EscapeDataString(folderId)}", ContractsJsonContext.Default.CommandAnswer, ct);
        if (Console.IsErrorRedirected)
            return await scan;
        long since = (await client.GetAsync("rest/events?limit=1&timeout=0", ContractsJsonContext.Default.ListEventEntry, ct)).LastOrDefault()?.Id ?? 0;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"scanning {folderId}", maxValue: 1);
                while (!scan.IsCompleted)
                {
                    var events = await client.GetAsync($"rest/events?events=FolderScanProgress&since={since}&timeout=1",
                        ContractsJsonContext.Default.ListEventEntry, ct);
                    foreach (var e in events)
                    {
                        since = e.Id;
                        if (e.Data.GetProperty("folder").GetString() != folderId)
                            continue;
                        task.MaxValue = Math.Max(1, e.Data.GetProperty("total").GetInt64());
                        task.Value = e.Data.GetProperty("current").GetInt64();
                    }
                }
                task.Value = task.MaxValue;
            });
        return await scan;
    }

    private static async Task<ScanSummary> RunWithProgressAsync(LocalScan scan, CancellationToken ct)
    {
        if (Console.IsErrorRedirected)
            return await scan.RunAsync(null, null, ct);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        ScanSummary? summary = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("walking", maxValue: 1);
                var progress = new Progress<ScanProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.BytesToHash);
                    task.Value = p.BytesHashed;
                    task.Description = $"hashing {p.FilesHashed}/{p.FilesToHash} files ({p.Walked} walked)";
                });
                summary = await scan.RunAsync(null, progress, ct);
                task.Value = task.MaxValue;
            });
        return summary!;
    }
}
