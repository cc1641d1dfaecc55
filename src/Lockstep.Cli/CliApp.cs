using System.CommandLine;
using Lockstep.Cli.Commands;

namespace Lockstep.Cli;

/// <summary>
/// The `lockstep` command line (ARCHITECTURE.md §4). Exit codes: 0 success; 1 runtime failure; 2 bad usage or
/// bad config (parse errors included); 3 a check that answered "no". Answers go to stdout, diagnostics to stderr.
/// </summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Lockstep keeps folders identical across machines (BEP v1, Syncthing-compatible) and proves that they are.");
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(IdCommand.Create());
        root.Subcommands.Add(DeviceCommands.Create());
        root.Subcommands.Add(FolderCommands.Create());
        root.Subcommands.Add(ScanCommand.Create());
        root.Subcommands.Add(LsCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(RuntimeCommands.Status());
        root.Subcommands.Add(EventsCommand.Create());
        root.Subcommands.Add(RuntimeCommands.Pause());
        root.Subcommands.Add(RuntimeCommands.Resume());
        root.Subcommands.Add(RuntimeCommands.Override());
        root.Subcommands.Add(RuntimeCommands.Revert());
        root.Subcommands.Add(VersionsCommands.Create());
        root.Subcommands.Add(ConflictsCommands.Create());

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                Console.Error.WriteLine($"lockstep: {error.Message}");
            Console.Error.WriteLine("Run 'lockstep --help' (or 'lockstep COMMAND --help') for usage.");
            return ExitCodes.Usage;
        }
        // No termination timeout: System.CommandLine would otherwise force exit 130/143 two seconds after
        // SIGINT/SIGTERM, cutting a node's orderly stop short on a slow machine. `serve` handles both signals.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
