namespace Lockstep.Testing;

/// <summary>Debian's syncthing binary (1.19), for identity and interop tests. <see cref="SyncthingNode"/> runs it.</summary>
public static class Syncthing
{
    /// <summary>The installed binary, or null when syncthing is missing (./test installs it).</summary>
    public static string? Executable =>
        new[] { "/usr/bin/syncthing", "/usr/local/bin/syncthing" }.FirstOrDefault(File.Exists);

    /// <summary>The binary, or a clear failure: interop tests must not silently pass without it.</summary>
    public static string RequireExecutable() =>
        Executable ?? throw new InvalidOperationException("syncthing is not installed; ./test installs it (apt-get install syncthing)");

    /// <summary>
    /// Runs `syncthing generate --home DIR --no-default-folder --skip-port-probing` and returns the device ID it
    /// reports. On a home that already has a key it keeps the key ("will not overwrite") and reports the same ID.
    /// </summary>
    public static async Task<string> GenerateAsync(string home, CancellationToken cancellationToken = default)
    {
        var exe = RequireExecutable();
        cancellationToken.ThrowIfCancellationRequested();
        var r = await ProcessRunner.RunAsync(exe, ["generate", "--home", home, "--no-default-folder", "--skip-port-probing"],
            TimeSpan.FromSeconds(60), new Dictionary<string, string?> { ["STNOUPGRADE"] = "1" });
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"syncthing generate failed: {r}");
        // 1.19 prints "Device ID: ..." on stderr together with its log lines; look at both streams.
        var line = (r.Stdout + "\n" + r.Stderr).Split('\n').FirstOrDefault(l => l.Contains("Device ID:"))
                   ?? throw new InvalidOperationException($"syncthing generate printed no device ID: {r}");
        return line[(line.IndexOf("Device ID:", StringComparison.Ordinal) + "Device ID:".Length)..].Trim();
    }
}
