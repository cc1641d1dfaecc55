using System.CommandLine;
using Lockstep.Index;
using Lockstep.Node.Config;
using Lockstep.Node.Home;
using Lockstep.Sync.Folders;

namespace Lockstep.Cli.Commands;

/// <summary>Options shared by commands, and the one place where failures become exit codes.</summary>
internal static class CommonOptions
{
    public static Option<string?> Home() => new("--home")
    {
        Description = "The node's home directory (default: $LOCKSTEP_HOME, else $XDG_STATE_HOME/lockstep, else ~/.local/state/lockstep)",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of a table" };

    /// <summary>Runs a command body and maps every known failure to its exit code and a one-line message.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (CliException e)
        {
            return Fail(e.ExitCode, e.Message);
        }
        catch (HomeException e)
        {
            return Fail(e.ExitCode, e.Message);
        }
        catch (ConfigException e)
        {
            return Fail(ExitCodes.Usage, e.Message);
        }
        catch (FolderErrorException e)
        {
            return Fail(ExitCodes.Failure, e.Message);
        }
        catch (IndexException e)
        {
            return Fail(ExitCodes.Failure, e.Message);
        }
        catch (Lockstep.Node.Hosting.NodeStartException e)
        {
            return Fail(ExitCodes.Failure, e.Message);
        }
        catch (OperationCanceledException)
        {
            return Fail(ExitCodes.Failure, "interrupted");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(ExitCodes.Failure, e.Message);
        }
    }

    public static Task<int> Guard(Func<int> body) => GuardAsync(() => Task.FromResult(body()));

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"lockstep: {message}");
        return code;
    }
}
