using System.Collections.Immutable;
using System.CommandLine;
using Lockstep.Contracts;
using Lockstep.Node.Config;
using Lockstep.Node.Home;
using Lockstep.Protocol.Identity;

namespace Lockstep.Cli.Commands;

internal static class DeviceCommands
{
    public static Command Create()
    {
        var command = new Command("device", "Add, remove and list the devices this node talks to");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(List());
        return command;
    }

    internal static DeviceId ParseId(string text, string option = "--id")
    {
        if (!DeviceId.TryParse(text, out var id, out var error))
            throw new CliException(ExitCodes.Usage, $"{option}: {error}");
        return id;
    }

    private static Command Add()
    {
        var home = CommonOptions.Home();
        var id = new Option<string>("--id") { Description = "The device ID", Required = true };
        var name = new Option<string?>("--name") { Description = "A name for the device" };
        var address = new Option<string[]>("--address") { Description = "tcp://HOST:PORT (repeatable; default: dynamic)" };
        var introducer = new Option<bool>("--introducer") { Description = "Accept the devices this device shares folders with" };
        var compression = new Option<string?>("--compression") { Description = "never|metadata|always (default metadata)" };
        compression.AcceptOnlyFromAmong([.. ConfigEnums.CompressionNames]);
        var command = new Command("add", "Add a device, or update it if it is already configured") { home, id, name, address, introducer, compression };
        command.SetAction((parse, _) => CommonOptions.Guard(() =>
        {
            var deviceId = ParseId(parse.GetValue(id)!);
            var nodeHome = NodeHome.Resolve(parse.GetValue(home));
            var compressionText = parse.GetValue(compression) ?? "metadata";
            ConfigEditor.Edit(nodeHome, config => config.WithDevice(new DeviceConfig
            {
                Id = deviceId,
                Name = parse.GetValue(name) ?? "",
                Addresses = (parse.GetValue(address) ?? []).ToImmutableArray(),
                Introducer = parse.GetValue(introducer),
                Compression = ConfigEnums.TryParseCompression(compressionText, out var c) ? c : Compression.Metadata,
            }));
            Console.Error.WriteLine($"device {deviceId} added to {nodeHome.ConfigPath}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Remove()
    {
        var home = CommonOptions.Home();
        var id = new Option<string>("--id") { Description = "The device ID", Required = true };
        var command = new Command("remove", "Remove a device (and stop sharing every folder with it)") { home, id };
        command.SetAction((parse, _) => CommonOptions.Guard(() =>
        {
            var deviceId = ParseId(parse.GetValue(id)!);
            var nodeHome = NodeHome.Resolve(parse.GetValue(home));
            ConfigEditor.Edit(nodeHome, config =>
            {
                if (!config.Devices.Any(d => d.Id == deviceId))
                    throw new CliException(ExitCodes.Usage, $"device {deviceId} is not configured in {nodeHome.ConfigPath}; 'lockstep device list' shows the configured devices");
                return config.WithoutDevice(deviceId);
            });
            Console.Error.WriteLine($"device {deviceId} removed");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List()
    {
        var home = CommonOptions.Home();
        var json = CommonOptions.Json();
        var command = new Command("list", "List the configured devices") { home, json };
        command.SetAction((parse, _) => CommonOptions.Guard(() =>
        {
            var config = ConfigEditor.Read(NodeHome.Resolve(parse.GetValue(home)));
            var rows = config.Devices.Select(d => new DeviceListItem(d.Id.ToString(), d.Name, d.Addresses.ToList(), d.Introducer,
                d.Compression.ToConfigName())).ToList();
            return Output.Rows(rows, parse.GetValue(json), ContractsJsonContext.Default.ListDeviceListItem,
                ["ID", "NAME", "ADDRESSES", "INTRODUCER", "COMPRESSION"],
                r => [r.Id, r.Name, r.Addresses.Count == 0 ? "dynamic" : string.Join(",", r.Addresses), r.Introducer ? "yes" : "no", r.Compression]);
        }));
        return command;
    }
}
