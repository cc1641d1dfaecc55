namespace Lockstep.Testing;

/// <summary>A peer device in Syncthing's config.</summary>
/// <param name="Id">The peer's device ID (e.g. ours, from our certificate).</param>
public sealed record SyncthingDevice(string Id)
{
    /// <summary>Defaults to "peer".</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Where Syncthing dials the peer: <c>tcp://127.0.0.1:PORT</c>, or <c>dynamic</c>, which with discovery off means
    /// Syncthing never dials and only accepts the peer's connections.
    /// </summary>
    public IReadOnlyList<string> Addresses { get; init; } = ["dynamic"];

    /// <summary>What Syncthing compresses when it sends to this peer; <see cref="SyncthingCompression.Never"/> avoids LZ4.</summary>
    public SyncthingCompression Compression { get; init; } = SyncthingCompression.Metadata;

    public bool Introducer { get; init; }

    public bool Paused { get; init; }

    public bool AutoAcceptFolders { get; init; }

    /// <summary>A peer Syncthing dials at <paramref name="address"/>.</summary>
    public static SyncthingDevice At(string id, string address) => new(id) { Addresses = [address] };

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Id))
            throw new ArgumentException("a device needs an ID");
        if (Addresses.Count == 0)
            throw new ArgumentException($"device {Id}: give at least one address (or \"dynamic\")");
        foreach (var a in Addresses)
            if (a != "dynamic" && !a.StartsWith("tcp://127.0.0.1:", StringComparison.Ordinal) && !a.StartsWith("tcp://[::1]:", StringComparison.Ordinal))
                throw new ArgumentException($"device {Id}: tests stay on loopback; '{a}' is neither tcp://127.0.0.1:PORT nor dynamic");
    }
}
