using Lockstep.Protocol.Messages;
using Lockstep.Protocol.Wire;

namespace Lockstep.Protocol.Framing;

/// <summary>
/// Syncthing's sending rule (lib/protocol/protocol.go shouldCompressMessage and writeCompressedMessage):
/// which messages are worth trying to compress, and how small the result must be to be sent compressed.
/// </summary>
internal static class CompressionPolicy
{
    /// <summary>Smaller marshalled messages are never compressed (compressionThreshold).</summary>
    public const int Threshold = 128;

    public static bool ShouldCompress(CompressionMode mode, MessageType type, int marshalledLength) => mode switch
    {
        CompressionMode.Never => false,
        CompressionMode.Always => marshalledLength >= Threshold,
        CompressionMode.Metadata => type != MessageType.Response && marshalledLength >= Threshold,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown compression mode"),
    };

    /// <summary>
    /// The largest LZ4 payload (4-byte prefix included) worth sending for a message of this length: it must
    /// save at least 1/32, i.e. be at most n − n/32 bytes; otherwise the message goes uncompressed.
    /// </summary>
    public static int MaxPayloadLength(int marshalledLength) => marshalledLength - marshalledLength / 32;
}
