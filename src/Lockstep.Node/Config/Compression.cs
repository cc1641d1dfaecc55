namespace Lockstep.Node.Config;

/// <summary>What BEP compresses on a connection to a device. YAML spellings: <c>metadata</c>, <c>never</c>, <c>always</c>.</summary>
public enum Compression
{
    /// <summary>Compress index and request metadata, not file data (Syncthing's default).</summary>
    Metadata,

    /// <summary>Compress nothing.</summary>
    Never,

    /// <summary>Compress metadata and file data.</summary>
    Always,
}
