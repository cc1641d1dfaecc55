using Google.Protobuf;

namespace Lockstep.Protocol.Messages;

/// <summary>
/// A message exchanged after the Hello: ClusterConfig, Index/IndexUpdate, Request, Response,
/// DownloadProgress, Ping or Close. The set is closed (the constructor is not visible outside this assembly),
/// so a switch over the derived records is exhaustive for what BEP v1 can carry.
/// </summary>
public abstract record BepMessage
{
    private protected BepMessage()
    {
    }

    /// <summary>The Header type this message travels under.</summary>
    internal abstract Wire.MessageType WireType { get; }

    /// <summary>The generated protobuf message for this record (never carries fields we must not send).</summary>
    internal abstract IMessage ToWireMessage();
}
