using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;
using Lockstep.Protocol.Wire;

namespace Lockstep.Protocol.Framing;

/// <summary>
/// Writes frames byte for byte as Syncthing does (bep-v1.md §3; layout drawn on <see cref="FrameReader"/>).
/// The Header is plain protobuf with defaults omitted, so an uncompressed ClusterConfig has a zero-length
/// header and a Ping is <c>00 02 08 06 00 00 00 00</c>.
/// </summary>
internal static class FrameWriter
{
    private const int LengthsSize = 2 + 4;

    /// <summary>Bytes before the body: header length, header, message length.</summary>
    public static int PrefixLength(MessageType type, MessageCompression compression) =>
        LengthsSize + HeaderFor(type, compression).CalculateSize();

    /// <summary>Writes the prefix for a body of bodyLength bytes into destination; returns its length.</summary>
    public static int WritePrefix(Span<byte> destination, MessageType type, MessageCompression compression, int bodyLength)
    {
        var header = HeaderFor(type, compression);
        int headerLength = header.CalculateSize();
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)headerLength);
        header.WriteTo(destination.Slice(2, headerLength));
        BinaryPrimitives.WriteUInt32BigEndian(destination[(2 + headerLength)..], (uint)bodyLength);
        return LengthsSize + headerLength;
    }

    /// <summary>Writes a whole frame whose body is already encoded (and compressed, if compression says so).</summary>
    public static void Write(IBufferWriter<byte> output, MessageType type, MessageCompression compression, ReadOnlySpan<byte> body)
    {
        int prefixLength = PrefixLength(type, compression);
        var span = output.GetSpan(prefixLength + body.Length);
        WritePrefix(span, type, compression, body.Length);
        body.CopyTo(span[prefixLength..]);
        output.Advance(prefixLength + body.Length);
    }

    private static Header HeaderFor(MessageType type, MessageCompression compression) =>
        new() { Type = type, Compression = compression };
}
