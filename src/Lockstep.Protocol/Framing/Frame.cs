using System.Buffers;
using Lockstep.Protocol.Wire;

namespace Lockstep.Protocol.Framing;

/// <summary>
/// One post-Hello frame as <see cref="FrameReader"/> cut it out of the receive buffer: the parsed Header and
/// the body bytes, still compressed if the header says LZ4. Body is a slice of the reader's buffer and is
/// valid only until that buffer is advanced past it: decode before calling PipeReader.AdvanceTo.
/// </summary>
internal readonly struct Frame(MessageType type, MessageCompression compression, ReadOnlySequence<byte> body)
{
    public MessageType Type { get; } = type;

    public MessageCompression Compression { get; } = compression;

    public ReadOnlySequence<byte> Body { get; } = body;

    /// <summary>
    /// False for a type newer than BEP v1.19 knows. Such a frame has been read whole and is to be skipped:
    /// Syncthing does the same, for extensibility.
    /// </summary>
    public bool IsKnownType => Type is >= MessageType.ClusterConfig and <= MessageType.Close;
}
