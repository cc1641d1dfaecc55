using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Lockstep.Cli.Client;
using Lockstep.Contracts;
using Lockstep.FileSystem;

namespace Lockstep.Cli.Commands;

/// <summary>`lockstep versions list|restore`: the copies a folder's versioning kept, through the running node.</summary>
internal static class VersionsCommands
{
    public static Command Create()
    {
        var command = new Command("versions", "List or restore the copies a folder's versioning kept (under .stversions/)");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Restore());
        return command;
    }

    private static Command List()
    {
        var node = new NodeOptions();
        var folder = new Argument<string>("FOLDERID") { Description = "The folder" };
        var path = new Argument<string?>("PATH") { Description = "Only the copies of this file", Arity = ArgumentArity.ZeroOrOne };
        var command = node.AddTo(new Command("list", "List kept copies, newest first per file") { folder, path });
        command.SetAction((parse, ct) => CommonOptions.GuardAsync(async () =>
        {
            using var client = node.Connect(parse);
            var query = $"rest/lockstep/versions?folder={Uri.EscapeDataString(parse.GetValue(folder)!)}" +
                        (parse.GetValue(path) is { } p ? $"&path={Uri.EscapeDataString(p)}" : "");
            var versions = await client.GetAsync(query, ContractsJsonContext.Default.ListVersionItem, ct);
            if (parse.GetValue(node.Json))
                Console.Out.WriteLine(JsonSerializer.Serialize(versions, ContractsJsonContext.Default.ListVersionItem));
            else
                Tables.Write(["path", "version time", "modified", "size"], versions.Select(v => new[]
                {
                    v.Path, v.VersionTime.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture),
                    v.ModTime.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture), ByteSizes.Format(v.Size),
                }));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Restore()
    {
        var node = new NodeOptions();
        var folder = new Argument<string>("FOLDERID") { Description = "The folder" };
        var path = new Argument<string>("PATH") { Description = "The file to restore" };
        var version = new Option<string?>("--version") { Description = "The version time to restore (as listed, e.g. 2026-11-21T17:02:03+00:00); default the newest" };
        var command = node.AddTo(new Command("restore", "Put a kept copy back in place (the current file is kept as a version first)") { folder, path, version });
        command.SetAction((parse, ct) => CommonOptions.GuardAsync(async () =>
        {
            string? at = null;
            if (parse.GetValue(version) is { } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time))
                    throw new CliException(ExitCodes.Usage, $"--version {text}: not a time; use one from 'lockstep versions list', e.g. 2026-11-21T17:02:03+00:00");
                at = time.ToString("o", CultureInfo.InvariantCulture);
            }
            using var client = node.Connect(parse);
            var query = $"rest/lockstep/versions/restore?folder={Uri.EscapeDataString(parse.GetValue(folder)!)}&path={Uri.EscapeDataString(parse.GetValue(path)!)}" +
                        (at is null ? "" : $"&version={Uri.EscapeDataString(at)}");
            var restored = await client.PostAsync(query, ContractsJsonContext.Default.VersionItem, ct);
            Console.Out.WriteLine(parse.GetValue(node.Json) ? JsonSerializer.Serialize(restored, ContractsJsonContext.Default.VersionItem)
                : $"restored {restored.Path} from {restored.VersionTime.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
