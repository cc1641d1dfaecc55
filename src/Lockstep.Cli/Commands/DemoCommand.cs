using System.CommandLine;

namespace Lockstep.Cli.Commands;

internal static class DemoCommand
{
    public static Command Create()
    {
        var dir = new Option<string?>("--dir") { Description = "Where the demo nodes keep their homes and folders (default ./demo-data)" };
        var nodes = new Option<int>("--nodes") { Description = "How many nodes (default 3)", DefaultValueFactory = _ => 3 };
        var command = new Command("demo", "A local mesh on 127.0.0.1 with its dashboard, until Ctrl-C") { dir, nodes };
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("lockstep demo: not available yet. The local mesh and its dashboard arrive with the sync engine; " +
                                    "today you can run 'lockstep init', 'folder add', 'scan' and 'ls'.");
            return ExitCodes.Usage;
        });
        return command;
    }
}
