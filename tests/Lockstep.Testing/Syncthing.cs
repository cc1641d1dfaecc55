namespace Lockstep.Testing;

/// <summary>Debian's syncthing binary, for identity and (later) interop tests.</summary>
public static class Syncthing
{
    public static string? Executable =>
        new[] { "/usr/bin/syncthing", "/usr/local/bin/syncthing" }.FirstOrDefault(File.Exists);

    /// <summary>Runs `syncthing generate --home DIR` and returns the device ID it reports.</summary>
    public static async Task<string> GenerateAsync(string home)
    {
        var exe = Executable ?? throw new InvalidOperationException("syncthing is not installed; ./test installs it (apt-get install syncthing)");
        var r = await ProcessRunner.RunAsync(exe, ["generate", "--home", home, "--no-default-folder", "--skip-port-probing"],
            TimeSpan.FromSeconds(60), new Dictionary<string, string?> { ["STNOUPGRADE"] = "1" });
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"syncthing generate failed: {r}");
        var line = (r.Stdout + "\n" + r.Stderr).Split('\n').FirstOrDefault(l => l.Contains("Device ID:"))
                   ?? throw new InvalidOperationException($"syncthing generate printed no device ID: {r}");
        return line[(line.IndexOf("Device ID:", StringComparison.Ordinal) + "Device ID:".Length)..].Trim();
    }
}
