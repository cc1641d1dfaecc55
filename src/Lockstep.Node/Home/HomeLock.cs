using System.Text.Json;

namespace Lockstep.Node.Home;

/// <summary>
/// One node per home: an exclusive lock on HOME/lock, held for the node's lifetime. .NET takes FileShare.None
/// as an flock(LOCK_EX) on Unix, so a second process (or a second open in this one) is refused, and the lock
/// vanishes with the process even when it is killed.
/// </summary>
public sealed class HomeLock : IDisposable
{
    private readonly FileStream _stream;

    private HomeLock(FileStream stream) => _stream = stream;

    public static HomeLock? TryAcquire(NodeHome home)
    {
        Directory.CreateDirectory(home.Path);
        try
        {
            var stream = new FileStream(home.LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new HomeLock(stream);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Takes the lock or explains who holds it (exit 1: a runtime condition, not bad usage).</summary>
    public static HomeLock Acquire(NodeHome home, string forWhat)
    {
        return TryAcquire(home) ?? throw new HomeException(
            $"cannot {forWhat}: a node is running on home '{home.Path}'{DescribeHolder(home)}. " +
            "Stop it first (SIGTERM or Ctrl-C); routing this command through the running node's API comes with the node service.",
            exitCode: 1);
    }

    public static bool IsHeld(NodeHome home)
    {
        if (!File.Exists(home.LockPath))
            return false;
        using var probe = TryAcquire(home);
        return probe is null;
    }

    private static string DescribeHolder(NodeHome home)
    {
        try
        {
            var info = JsonSerializer.Deserialize(File.ReadAllText(home.RuntimePath), RuntimeJsonContext.Default.RuntimeInfo);
            return info is null ? "" : $" (pid {info.Pid})";
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    public void Dispose() => _stream.Dispose();
}
