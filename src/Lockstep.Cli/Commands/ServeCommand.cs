using System.CommandLine;
using System.Runtime.InteropServices;
using Lockstep.Node.Config;
using Lockstep.Node.Home;
using Lockstep.Node.Hosting;
using Microsoft.Extensions.Logging;

namespace Lockstep.Cli.Commands;

/// <summary>
/// `lockstep serve`: the node in the foreground until SIGINT/SIGTERM. JSON log lines on stdout, plain text
/// when stdout is a terminal. (Peers and the API arrive with the next issues.)
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var home = CommonOptions.Home();
        var command = new Command("serve", "Run the node in the foreground until SIGINT/SIGTERM") { home };
        command.SetAction((parse, _) => CommonOptions.GuardAsync(async () =>
        {
            var nodeHome = NodeHome.Resolve(parse.GetValue(home));
            using var stop = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            nodeHome.RequireInitialised();
            var level = Enum.Parse<LogLevel>(ConfigFile.Load(nodeHome.ConfigPath).LogLevel, ignoreCase: true);
            using var loggers = LoggerFactory.Create(b =>
            {
                b.SetMinimumLevel(level);
                if (Console.IsOutputRedirected)
                    b.AddJsonConsole(o => { o.IncludeScopes = false; o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffK"; o.UseUtcTimestamp = true; });
                else
                    b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
            });
            await using var host = new NodeHost(nodeHome, loggers);
            await host.RunAsync(stop.Token);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
