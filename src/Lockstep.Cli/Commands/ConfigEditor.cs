using Lockstep.Node.Config;
using Lockstep.Node.Home;

namespace Lockstep.Cli.Commands;

/// <summary>
/// Edits config.yaml for the device and folder commands, based on the file without environment overrides so that an
/// override never leaks into the file, validated, and written atomically. When a node runs for the home, the new text
/// goes through its API (PUT /rest/lockstep/config/file) so the node applies it live; the node takes it only if the
/// file is still what was read, else the edit is made again on the new content.
/// </summary>
internal static class ConfigEditor
{
    private const int Attempts = 5;

    public static NodeConfig Edit(NodeHome home, Func<NodeConfig, NodeConfig> change)
    {
        home.RequireInitialised();
        if (HomeLock.IsHeld(home) && Client.NodeClient.TryConnect(home, null, null) is { } client)
        {
            using (client)
                return EditThroughNode(home, client, change);
        }
        using var held = HomeLock.Acquire(home, "edit the configuration");
        var config = ConfigFile.LoadWithoutOverrides(home.ConfigPath);
        var next = change(config);
        ConfigFile.Save(home.ConfigPath, next);
        return next;
    }

    private static NodeConfig EditThroughNode(NodeHome home, Client.NodeClient client, Func<NodeConfig, NodeConfig> change)
    {
        for (int attempt = 1; ; attempt++)
        {
            var fingerprint = ConfigFile.Fingerprint(home.ConfigPath);
            var next = change(ConfigFile.LoadWithoutOverrides(home.ConfigPath));
            ConfigFile.Validate(next, home.ConfigPath);
            var (status, text) = client.SendJsonAsync(HttpMethod.Put, "rest/lockstep/config/file",
                new Lockstep.Contracts.Rest.ConfigFileReplace(fingerprint, ConfigFile.ToText(next)),
                Lockstep.Contracts.ContractsJsonContext.Default.ConfigFileReplace).GetAwaiter().GetResult();
            if (status is >= 200 and < 300)
                return next;
            if (status == 409 && attempt < Attempts)
                continue; // the node changed the file meanwhile: edit its new content
            throw new CliException(status == 400 ? ExitCodes.Usage : ExitCodes.Failure, $"the running node refused the change: {text}");
        }
    }

    public static NodeConfig Read(NodeHome home)
    {
        home.RequireInitialised();
        return ConfigFile.Load(home.ConfigPath);
    }

    /// <summary>The folder's config, or exit 2 naming the file and how to list the folders.</summary>
    public static FolderConfig RequireFolder(NodeConfig config, NodeHome home, string folderId) =>
        config.Folders.FirstOrDefault(f => f.Id == folderId)
        ?? throw new CliException(ExitCodes.Usage, $"folder '{folderId}' is not configured in {home.ConfigPath}; 'lockstep folder list' shows the folders");
}
