namespace Lockstep.Node.Home;

/// <summary>
/// A node's home directory and the files in it. Resolution order (ARCHITECTURE.md §4): --home, then
/// LOCKSTEP_HOME, then $XDG_STATE_HOME/lockstep, then ~/.local/state/lockstep.
/// </summary>
public sealed record NodeHome(string Path)
{
    public string CertPath => System.IO.Path.Combine(Path, "cert.pem");
    public string KeyPath => System.IO.Path.Combine(Path, "key.pem");
    public string ConfigPath => System.IO.Path.Combine(Path, "config.yaml");
    public string IndexPath => System.IO.Path.Combine(Path, "index.db");
    public string LockPath => System.IO.Path.Combine(Path, "lock");
    public string RuntimePath => System.IO.Path.Combine(Path, "runtime.json");

    public static NodeHome Resolve(string? home, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (string.IsNullOrWhiteSpace(home))
            home = environment("LOCKSTEP_HOME");
        if (string.IsNullOrWhiteSpace(home))
        {
            var xdg = environment("XDG_STATE_HOME");
            home = !string.IsNullOrWhiteSpace(xdg)
                ? System.IO.Path.Combine(xdg, "lockstep")
                : System.IO.Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state", "lockstep");
        }
        return new NodeHome(System.IO.Path.GetFullPath(home));
    }

    /// <summary>The configuration file must exist for every command but init; the message says how to create it.</summary>
    public void RequireInitialised()
    {
        if (!File.Exists(ConfigPath))
            throw new HomeException($"'{ConfigPath}' does not exist: this home is not initialised; run: lockstep init --home {Path}");
    }
}

/// <summary>A problem with the node home (not initialised, already initialised, locked); the message names the file and the fix.</summary>
public sealed class HomeException(string message, int exitCode = 2) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
