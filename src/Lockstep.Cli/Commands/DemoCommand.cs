using System.CommandLine;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Lockstep.Node.Demo;
using Microsoft.Extensions.Logging;

namespace Lockstep.Cli.Commands;

/// <summary>
/// `lockstep demo`: a local mesh of N nodes on 127.0.0.1 sharing a `demo` folder, with a gentle workload, in the
/// foreground until Ctrl-C. Prints each node's name, device ID, folder, API address and key, then one line per
/// workload step and whether every replica holds the same files.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var dir = new Option<string?>("--dir") { Description = "Where the demo nodes keep their homes and folders (default ./demo-data, reused)" };
        var nodes = new Option<int>("--nodes") { Description = "How many nodes (default 3)", DefaultValueFactory = _ => 3 };
        var noWorkload = new Option<bool>("--no-workload") { Description = "Do not edit files on a timer; just run the mesh" };
        var interval = new Option<double>("--interval") { Description = "Seconds between workload edits (default 3)", DefaultValueFactory = _ => 3 };
        var command = new Command("demo", "A local mesh on 127.0.0.1, in the foreground until Ctrl-C") { dir, nodes, noWorkload, interval };
        command.SetAction((parse, _) => CommonOptions.GuardAsync(async () =>
        {
            int count = parse.GetValue(nodes);
            if (count is < 1 or > 16)
                throw new CliException(ExitCodes.Usage, $"--nodes {count}: choose between 1 and 16 nodes");
            double seconds = parse.GetValue(interval);
            if (seconds is < 0.1 or > 3600)
                throw new CliException(ExitCodes.Usage, $"--interval {seconds}: choose between 0.1 and 3600 seconds");
            var directory = Path.GetFullPath(parse.GetValue(dir) ?? "demo-data");

            using var stop = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning)
                .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }));

            await using var mesh = DemoMesh.Prepare(directory, count);
            await mesh.StartAsync(loggers, stop.Token);
            Console.WriteLine($"lockstep demo: {count} nodes on 127.0.0.1 sharing folder '{DemoMesh.FolderId}' (data in {directory})");
            foreach (var node in mesh.Nodes)
            {
                Console.WriteLine($"  {node.Name}  {node.Id}");
                Console.WriteLine($"      folder {node.FolderPath}");
                Console.WriteLine($"      listen {node.Address}   api {node.ApiAddress} (the REST API arrives with the node service)   key {node.ApiKey}");
            }
            Console.WriteLine(parse.GetValue(noWorkload)
                ? "ready; no workload (edit files in any folder above and watch them reach the others). Ctrl-C stops."
                : $"ready; a gentle workload edits a file every {seconds:0.#} s. Ctrl-C stops.");

            var workload = parse.GetValue(noWorkload) ? null : new DemoWorkload(mesh.Nodes);
            string? lastState = null;
            try
            {
                using var ticker = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
                while (await ticker.WaitForNextTickAsync(stop.Token))
                {
                    // Judged a whole interval after the last edit, before the next one: what the mesh made of it.
                    var state = Agreement(mesh);
                    if (state != lastState)
                        Console.WriteLine($"{DateTime.Now:HH:mm:ss} {state}");
                    lastState = state;
                    if (workload is not null)
                        Console.WriteLine($"{DateTime.Now:HH:mm:ss} {workload.Step()}");
                }
            }
            catch (OperationCanceledException)
            {
            }
            Console.WriteLine("stopping the demo nodes ...");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Whether every node's folder holds the same files (names, sizes, contents), as one line.</summary>
    private static string Agreement(DemoMesh mesh)
    {
        var digests = mesh.Nodes.Select(n => Digest(n.FolderPath)).ToList();
        int files = digests[0].Files;
        return digests.Select(d => d.Hash).Distinct().Count() == 1
            ? $"all {mesh.Nodes.Count} replicas identical ({files} files)"
            : "replicas differ: " + string.Join(", ", mesh.Nodes.Zip(digests, (n, d) => $"{n.Name} {d.Files} files {d.Hash[..8]}")) + " (syncing)";
    }

    private static (string Hash, int Files) Digest(string root)
    {
        var lines = new List<string>();
        try
        {
            foreach (var path in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true }))
            {
                var name = Path.GetRelativePath(root, path);
                if (name.StartsWith(".st", StringComparison.Ordinal) || Path.GetFileName(name).StartsWith(".syncthing.", StringComparison.Ordinal))
                    continue;
                lines.Add(name + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))));
            }
        }
        catch (IOException)
        {
            return ("changing", -1);
        }
        lines.Sort(StringComparer.Ordinal);
        return (Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines)))), lines.Count);
    }
}
