using System.Buffers;
using Google.Protobuf;
using Lockstep.Protocol.Wire;

namespace Lockstep.Protocol.Framing;

/// <summary>
/// Cuts post-Hello frames out of a receive buffer (bep-v1.md §3). Pure and restartable: it keeps no state,
/// reads only what is buffered and returns false until a whole frame is there, so it can be called again
/// with the same bytes plus more. Every length is checked against its limit as soon as it is buffered,
/// before anything waits for or allocates the bytes it announces.
/// <code>
///   0       2                2+h              6+h                          6+h+m
///   +-------+----------------+----------------+----------------------------+
///   | h     | Header         | m              | message body               |
///   | u16BE | protobuf,      | u32BE          | protobuf, or LZ4 payload   |
///   | as    | h bytes;       | as int32:      | (Compression/Lz4Payload)   |
///   | int16 | h = 0 means    | &lt; 0 or over   | m = 0 for Ping and an      |
///   | ≥ 0   | CLUSTER_CONFIG | the limit is   | empty ClusterConfig        |
///   |       | uncompressed   | fatal          |                            |
///   +-------+----------------+----------------+----------------------------+
/// </code>
/// A frame of an unknown type comes back whole, for the caller to skip; an unknown compression is fatal.
/// </summary>
internal static class FrameReader
{
    private const int HeaderLengthSize = 2;
    private const int MessageLengthSize = 4;

    /// <summary>
    /// On true, <paramref name="frame"/> holds the next frame and <paramref name="buffer"/> has been sliced
    /// past it. On false nothing changed: more bytes are needed. Throws <see cref="ProtocolException"/>
    /// (FrameTooLarge, Malformed or BadCompression) when the buffered bytes already break the protocol.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, ProtocolLimits limits, out Frame frame)
    {
        frame = default;
        var reader = new SequenceReader<byte>(buffer);

        // Syncthing reads the header length as int16: 0x8000 and above are negative, hence invalid.
        if (!reader.TryReadBigEndian(out short headerLength))
            return false;
        if (headerLength < 0)
            throw ProtocolErrors.NegativeHeaderLength(headerLength);

        if (reader.Remaining < headerLength + MessageLengthSize)
            return false;
        var headerBytes = buffer.Slice(reader.Position, headerLength);
        reader.Advance(headerLength);
        reader.TryReadBigEndian(out int messageLength);

        var header = ParseHeader(headerBytes);
        if (messageLength < 0 || messageLength > limits.MaxMessageSize)
            throw ProtocolErrors.MessageLength(messageLength, limits.MaxMessageSize);
        if (header.Compression is not (MessageCompression.None or MessageCompression.Lz4))
            throw ProtocolErrors.UnknownCompression((int)header.Compression);

        if (reader.Remaining < messageLength)
            return false;
        var body = buffer.Slice(reader.Position, messageLength);
        frame = new Frame(header.Type, header.Compression, body);
        buffer = buffer.Slice(body.End);
        return true;
    }

    // The empty byte string is a valid Header: type CLUSTER_CONFIG, compression NONE.
    private static Header ParseHeader(ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsEmpty)
            return new Header();
        try
        {
            return Header.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw ProtocolErrors.Malformed("header", e);
        }
    }
}
