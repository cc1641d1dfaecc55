namespace Lockstep.Protocol.Messages;

/// <summary>
/// Which outgoing messages are LZ4-compressed (bep-v1.md §3). The values are the wire values of
/// ClusterConfig's Device.compression. Named apart from the node configuration's Compression setting,
/// which is converted to this at the edge.
/// </summary>
public enum CompressionMode
{
    /// <summary>Everything except Response, when the marshalled message is at least 128 bytes. Syncthing's default.</summary>
    Metadata = 0,

    /// <summary>Nothing.</summary>
    Never = 1,

    /// <summary>Everything, Responses included, when the marshalled message is at least 128 bytes.</summary>
    Always = 2,
}
