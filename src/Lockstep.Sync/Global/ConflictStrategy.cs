using Lockstep.Protocol.Identity;

namespace Lockstep.Sync.Global;

/// <summary>
/// Which bytes stay live after a conflict (ARCHITECTURE.md §3). Syncthing's rule decides first, the same on
/// every node; a strategy other than <c>newest</c> then has the node holding the preferred bytes publish them
/// again as a version that dominates both, with the other bytes kept as the conflict copy.
/// </summary>
public abstract record ConflictStrategy
{
    private ConflictStrategy()
    {
    }

    /// <summary>Syncthing's winner stays live (the default).</summary>
    public sealed record Newest : ConflictStrategy;

    /// <summary>The larger file stays live.</summary>
    public sealed record Largest : ConflictStrategy;

    /// <summary>The bytes last modified by this device stay live.</summary>
    public sealed record Prefer(DeviceId Device) : ConflictStrategy;

    /// <summary>Syncthing's winner stays live and the conflict stays listed until a person resolves it.</summary>
    public sealed record Manual : ConflictStrategy;

    public static ConflictStrategy Default { get; } = new Newest();

    /// <summary>
    /// Whether the device holding <paramref name="local"/> (the loser by Syncthing's rule, about to be replaced by
    /// <paramref name="global"/>) should instead keep its bytes live and publish them again.
    /// </summary>
    public bool KeepsLocal(FileInfo local, FileInfo global) => this switch
    {
        Largest => local.Size > global.Size,
        Prefer p => local.ModifiedBy == p.Device.Short && global.ModifiedBy != p.Device.Short,
        _ => false,
    };

    /// <summary>The config spelling: newest, largest, prefer:DEVICEID, manual.</summary>
    public sealed override string ToString() => this switch
    {
        Largest => "largest",
        Prefer p => "prefer:" + p.Device,
        Manual => "manual",
        _ => "newest",
    };

    /// <summary>Parses the config spelling; null with <paramref name="error"/> saying what is wrong.</summary>
    public static ConflictStrategy? Parse(string text, out string error)
    {
        error = "";
        var t = text.Trim();
        if (t.Equals("newest", StringComparison.OrdinalIgnoreCase))
            return new Newest();
        if (t.Equals("largest", StringComparison.OrdinalIgnoreCase))
            return new Largest();
        if (t.Equals("manual", StringComparison.OrdinalIgnoreCase))
            return new Manual();
        if (t.StartsWith("prefer:", StringComparison.OrdinalIgnoreCase))
        {
            if (DeviceId.TryParse(t[7..], out var id, out var why))
                return new Prefer(id);
            error = $"prefer: followed by a valid device ID ({why})";
            return null;
        }
        error = "newest, largest, prefer:DEVICEID or manual";
        return null;
    }
}
