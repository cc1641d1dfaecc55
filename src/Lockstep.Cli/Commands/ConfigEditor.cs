using Lockstep.Node.Config;
using Lockstep.Node.Home;

namespace Lockstep.Cli.Commands;

/// <summary>
/// Edits config.yaml for the device and folder commands: refused while a node holds the home lock (the node
/// service later routes edits through its API), based on the file without environment overrides so that
/// an override never leaks into the file, validated, and written atomically.
/// </summary>
internal static class ConfigEditor
{
    public static NodeConfig Edit(NodeHome home, Func<NodeConfig, NodeConfig> change)
    {
        home.RequireInitialised();
        using var held = HomeLock.Acquire(home, "edit the configuration");
        var config = ConfigFile.LoadWithoutOverrides(home.ConfigPath);
        var next = change(config);
        ConfigFile.Save(home.ConfigPath, next);
        return next;
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
