using System.CommandLine;
using Lockstep.Node.Home;

namespace Lockstep.Cli.Commands;

internal static class InitCommand
{
    public static Command Create()
    {
        var home = CommonOptions.Home();
        var name = new Option<string?>("--name") { Description = "This node's name (default: the host name)" };
        var listen = new Option<string?>("--listen") { Description = "BEP listen address, tcp://HOST:PORT (default tcp://0.0.0.0:22001)" };
        var api = new Option<string?>("--api") { Description = "REST API address HOST:PORT (default 127.0.0.1:8385)" };
        var command = new Command("init", "Create a node home: certificate, key, API key and config.yaml; prints the device ID") { home, name, listen, api };
        command.SetAction((parse, _) => CommonOptions.Guard(() =>
        {
            var nodeHome = NodeHome.Resolve(parse.GetValue(home));
            var id = NodeInitializer.Initialise(nodeHome, new NodeInitializer.Options(parse.GetValue(name), parse.GetValue(listen), parse.GetValue(api)));
            Console.Out.WriteLine(id.ToString());
            Console.Error.WriteLine($"initialised {nodeHome.Path}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
