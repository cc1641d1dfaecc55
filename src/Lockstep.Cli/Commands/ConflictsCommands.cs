using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Lockstep.Cli.Client;
using Lockstep.Contracts;
using Lockstep.FileSystem;

namespace Lockstep.Cli.Commands;

/// <summary>`lockstep conflicts list|resolve`: a folder's conflict copies, through the running node.</summary>
internal static class ConflictsCommands
{
    public static Command Create()
    {
        var command = new Command("conflicts", "List a folder's conflicts or resolve one");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Resolve());
        return command;
    }

    private static Command List()
    {
        var node = new NodeOptions();
        var folder = new Argument<string>("FOLDERID") { Description = "The folder" };
        var command = node.AddTo(new Command("list", "Every conflict copy in the folder and the live file it was made from") { folder });
        command.SetAction((parse, ct) => CommonOptions.GuardAsync(async () =>
        {
            using var client = node.Connect(parse);
            var conflicts = await client.GetAsync($"rest/lockstep/conflicts?folder={Uri.EscapeDataString(parse.GetValue(folder)!)}",
                ContractsJsonContext.Default.ListConflictEntry, ct);
            if (parse.GetValue(node.Json))
                Console.Out.WriteLine(JsonSerializer.Serialize(conflicts, ContractsJsonContext.Default.ListConflictEntry));
            else
                Tables.Write(["path", "conflict copy", "copy", "live"], conflicts.Select(c => new[]
                {
                    c.Path, c.Copy, $"{ByteSizes.Format(c.CopySize)}, {c.CopyModified.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}",
                    c.LiveExists ? $"{ByteSizes.Format(c.LiveSize)}, {c.LiveModified.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}" : "(deleted)",
                }));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Resolve()
    {
        var node = new NodeOptions();
        var folder = new Argument<string>("FOLDERID") { Description = "The folder" };
        var path = new Argument<string>("PATH") { Description = "The file the conflict copies were made from" };
        var keep = new Option<string>("--keep") { Description = "local (the live file), remote (the newest conflict copy) or both", Required = true };
        keep.AcceptOnlyFromAmong("local", "remote", "both");
        var command = node.AddTo(new Command("resolve", "Resolve a conflict; the result is sent to every node") { folder, path, keep });
        command.SetAction((parse, ct) => CommonOptions.GuardAsync(async () =>
        {
            using var client = node.Connect(parse);
            var answer = await client.PostAsync(
                $"rest/lockstep/conflicts/resolve?folder={Uri.EscapeDataString(parse.GetValue(folder)!)}&path={Uri.EscapeDataString(parse.GetValue(path)!)}&keep={parse.GetValue(keep)}",
                ContractsJsonContext.Default.CommandAnswer, ct);
            Console.Out.WriteLine(parse.GetValue(node.Json) ? JsonSerializer.Serialize(answer, ContractsJsonContext.Default.CommandAnswer) : $"{answer.Folder}: {answer.Done}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
