using System.Collections.Immutable;
using System.CommandLine;
using Lockstep.Contracts;
using Lockstep.Node.Config;
using Lockstep.Node.Home;
using Lockstep.Sync.Folders;

namespace Lockstep.Cli.Commands;

internal static class FolderCommands
{
    public static Command Create()
    {
        var command = new Command("folder", "Add, share, remove and list folders");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Share());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(List());
        return command;
    }

    private static Command Add()
    {
        var home = CommonOptions.Home();
        var id = new Option<string>("--id") { Description = "The folder ID (the same on every device)", Required = true };
        var path = new Option<string>("--path") { Description = "Absolute path of the folder on this machine", Required = true };
        var type = new Option<string>("--type") { Description = "sendreceive|sendonly|receiveonly|observe", DefaultValueFactory = _ => "sendreceive" };
        type.AcceptOnlyFromAmong([.. ConfigEnums.FolderTypeNames]);
        var share = new Option<string[]>("--share") { Description = "A device ID to share with (repeatable)" };
        var rescan = new Option<double?>("--rescan") { Description = "Full rescan interval in seconds (default 3600)" };
        var label = new Option<string?>("--label") { Description = "A human label (default: the ID)" };
        var command = new Command("add", "Add a folder; creates the path and its .stfolder marker if missing") { home, id, path, type, share, rescan, label };
        command.SetAction((parse, _) => CommonOptions.Guard(() =>
        {
            var nodeHome = NodeHome.Resolve(parse.GetValue(home));
            var folderPath = parse.GetValue(path)!;
            if (!Path.IsPathFullyQualified(folderPath))
                throw new CliException(ExitCodes.Usage, $"--path '{folderPath}' is relative; give an absolute path, e.g. {Path.GetFullPath(folderPath)}");
            folderPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folderPath));
            var devices = (parse.GetValue(share) ?? []).Select(s => DeviceCommands.ParseId(s, "--share")).ToImmutableArray();
            var folderId = parse.GetValue(id)!;
            var folder = new FolderConfig
            {
                Id = folderId,
                Label = parse.GetValue(label) ?? folderId,
                Path = folderPath,
                Type = ConfigEnums.TryParseFolderType(parse.GetValue(type), out var t) ? t : FolderType.SendReceive,
                Devices = devices,
            };
            if (parse.GetValue(rescan) is { } seconds)
                folder = folder with { RescanIntervalS = seconds };
            ConfigEditor.Edit(nodeHome, config =>
            {
                if (config.Folders.Any(f => f.Id == folderId))
                    throw new CliException(ExitCodes.Usage, $"folder '{folderId}' already exists in {nodeHome.ConfigPath}; choose another --id or remove it first");
                var next = config.WithFolder(folder);
                // Only after the config validated: the marker is created when a person adds the folder, never later.
                FolderMarker.Create(folderPath);
                return next;
            });
            Console.Error.WriteLine($"folder '{folderId}' added at {folderPath}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Share()
    {
        var home = CommonOptions.Home();
        var id = new Option<string>("--id") { Description = "The folder ID", Required = true };
        var device = new Option<string>("--device") { Description = "The device ID to share with", Required = true };
        var command = new Command("share", "Share a folder with a configured device") { home, id, device };
        command.SetAction((parse, _) => CommonOptions.Guard(() =>
        {
            var deviceId = DeviceCommands.ParseId(parse.GetValue(device)!, "--device");
            ConfigEditor.Edit(NodeHome.Resolve(parse.GetValue(home)), config => config.ShareFolder(parse.GetValue(id)!, deviceId));
            Console.Error.WriteLine($"folder '{parse.GetValue(id)}' shared with {deviceId}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Remove()
    {
        var home = CommonOptions.Home();
        var id = new Option<string>("--id") { Description = "The folder ID", Required = true };
        var command = new Command("remove", "Stop syncing a folder (its files stay on disk)") { home, id };
        command.SetAction((parse, _) => CommonOptions.Guard(() =>
        {
            var nodeHome = NodeHome.Resolve(parse.GetValue(home));
            var folderId = parse.GetValue(id)!;
            ConfigEditor.Edit(nodeHome, config =>
            {
                ConfigEditor.RequireFolder(config, nodeHome, folderId);
                return config.WithoutFolder(folderId);
            });
            Console.Error.WriteLine($"folder '{folderId}' removed (files on disk are untouched)");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List()
    {
        var home = CommonOptions.Home();
        var json = CommonOptions.Json();
        var command = new Command("list", "List the configured folders") { home, json };
        command.SetAction((parse, _) => CommonOptions.Guard(() =>
        {
            var config = ConfigEditor.Read(NodeHome.Resolve(parse.GetValue(home)));
            var rows = config.Folders.Select(f => new FolderListItem(f.Id, f.Label, f.Path, FolderTypeName(f.Type),
                f.Devices.Select(d => d.ToString()).ToList(), f.RescanIntervalS)).ToList();
            return Output.Rows(rows, parse.GetValue(json), ContractsJsonContext.Default.ListFolderListItem,
                ["ID", "LABEL", "PATH", "TYPE", "DEVICES", "RESCAN S"],
                r => [r.Id, r.Label, r.Path, r.Type, r.Devices.Count.ToString(), r.RescanIntervalS.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }));
        return command;
    }

    internal static string FolderTypeName(FolderType type) => type.ToConfigName();
}
