namespace Lockstep.Node.Tests.Config;

/// <summary>A temporary directory for config files, removed on dispose.</summary>
internal sealed class ConfigDirectory : IDisposable
{
    public ConfigDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lockstep-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string ConfigPath => System.IO.Path.Combine(Path, "config.yaml");

    /// <summary>Writes <paramref name="yaml"/> to config.yaml and returns its path.</summary>
    public string Write(string yaml)
    {
        File.WriteAllText(ConfigPath, yaml);
        return ConfigPath;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
