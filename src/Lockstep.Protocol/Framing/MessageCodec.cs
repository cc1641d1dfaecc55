using System.Buffers;
using Google.Protobuf;
using Lockstep.Protocol.Compression;
using Lockstep.Protocol.Messages;
using MessageCompression = Lockstep.Protocol.Wire.MessageCompression;
using MessageType = Lockstep.Protocol.Wire.MessageType;

namespace Lockstep.Protocol.Framing;

/// <summary>
/// Turns a public message record into a frame (marshal, then LZ4 if the policy says so and it pays) and a
/// frame back into a record. Everything a peer can get wrong in a body surfaces as a
/// <see cref="ProtocolException"/>; what the body means is checked later, by InboundValidator.
/// </summary>
internal static class MessageCodec
{
    /// <summary>Appends the message's frame to output.</summary>
    public static void Encode(BepMessage message, CompressionMode mode, ProtocolLimits limits, IBufferWriter<byte> output)
    {
        var wire = message.ToWireMessage();
        var type = message.WireType;
        int length = wire.CalculateSize();
        if (length > limits.MaxMessageSize)
            throw ProtocolErrors.OutgoingTooLarge(Describe(type), length, limits.MaxMessageSize);

        if (CompressionPolicy.ShouldCompress(mode, type, length))
        {
            var marshalled = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                wire.WriteTo(marshalled.AsSpan(0, length));
                if (TryWriteCompressed(output, type, marshalled.AsSpan(0, length)))
                    return;
                FrameWriter.Write(output, type, MessageCompression.None, marshalled.AsSpan(0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(marshalled);
            }
            return;
        }

        // Uncompressed: marshal straight into the output, behind the prefix.
        int prefixLength = FrameWriter.PrefixLength(type, MessageCompression.None);
        var span = output.GetSpan(prefixLength + length);
        FrameWriter.WritePrefix(span, type, MessageCompression.None, length);
        wire.WriteTo(span.Slice(prefixLength, length));
        output.Advance(prefixLength + length);
    }

    /// <summary>The message's frame as a new array.</summary>
    public static byte[] Encode(BepMessage message, CompressionMode mode, ProtocolLimits limits)
    {
        var output = new ArrayBufferWriter<byte>();
        Encode(message, mode, limits, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The record the frame carries, or null for a frame of a type BEP v1.19 does not define, which the
    /// caller skips. Decoded records do not refer to the frame's buffer.
    /// </summary>
    public static BepMessage? Decode(in Frame frame, ProtocolLimits limits)
    {
        if (!frame.IsKnownType)
            return null;
        if (frame.Compression == MessageCompression.None)
            return Parse(frame.Type, frame.Body);

        byte[]? contiguous = null;
        byte[]? decompressed = null;
        try
        {
            ReadOnlySpan<byte> payload;
            if (frame.Body.IsSingleSegment)
            {
                payload = frame.Body.FirstSpan;
            }
            else
            {
                contiguous = ArrayPool<byte>.Shared.Rent((int)frame.Body.Length);
                frame.Body.CopyTo(contiguous);
                payload = contiguous.AsSpan(0, (int)frame.Body.Length);
            }
            int declared = Lz4Payload.ReadDeclaredLength(payload, limits);
            decompressed = ArrayPool<byte>.Shared.Rent(declared);
            Lz4Payload.Decompress(payload, decompressed.AsSpan(0, declared));
            return Parse(frame.Type, new ReadOnlySequence<byte>(decompressed, 0, declared));
        }
        finally
        {
            if (contiguous is not null)
                ArrayPool<byte>.Shared.Return(contiguous);
            if (decompressed is not null)
                ArrayPool<byte>.Shared.Return(decompressed);
        }
    }

    private static bool TryWriteCompressed(IBufferWriter<byte> output, MessageType type, ReadOnlySpan<byte> marshalled)
    {
        int prefixLength = FrameWriter.PrefixLength(type, MessageCompression.Lz4);
        int maxPayload = CompressionPolicy.MaxPayloadLength(marshalled.Length);
        var span = output.GetSpan(prefixLength + maxPayload);
        int payloadLength = Lz4Payload.TryCompress(marshalled, span.Slice(prefixLength, maxPayload));
        if (payloadLength == 0)
            return false;
        FrameWriter.WritePrefix(span, type, MessageCompression.Lz4, payloadLength);
        output.Advance(prefixLength + payloadLength);
        return true;
    }

    // Google.Protobuf copies bytes fields out of the input, and ResponseDecoder copies a block into a buffer of
    // its own, so nothing returned aliases the frame's buffer.
    private static BepMessage Parse(MessageType type, ReadOnlySequence<byte> body)
    {
        try
        {
            return type switch
            {
                MessageType.ClusterConfig => Messages.ClusterConfig.FromWire(Wire.ClusterConfig.Parser.ParseFrom(body)),
                MessageType.Index => IndexMessage.FromWire(Wire.Index.Parser.ParseFrom(body)),
                MessageType.IndexUpdate => IndexMessage.FromWire(Wire.IndexUpdate.Parser.ParseFrom(body)),
                MessageType.Request => Messages.Request.FromWire(Wire.Request.Parser.ParseFrom(body)),
                MessageType.Response => ResponseDecoder.TryDecode(body) ?? Messages.Response.FromWire(Wire.Response.Parser.ParseFrom(body)),
                MessageType.DownloadProgress => Messages.DownloadProgress.FromWire(Wire.DownloadProgress.Parser.ParseFrom(body)),
                MessageType.Ping => ParsePing(body),
                MessageType.Close => Messages.Close.FromWire(Wire.Close.Parser.ParseFrom(body)),
                _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a known message type"),
            };
        }
        catch (InvalidProtocolBufferException e)
        {
            throw ProtocolErrors.Malformed(Describe(type), e);
        }
    }

    // A Ping carries nothing; a non-empty body must still be valid protobuf (fields unknown to us are skipped).
    private static Ping ParsePing(ReadOnlySequence<byte> body)
    {
        if (!body.IsEmpty)
            Wire.Ping.Parser.ParseFrom(body);
        return Ping.Instance;
    }

    /// <summary>The message names Syncthing uses in its errors ("protocol error on index-update for f1: …").</summary>
    public static string Describe(MessageType type) => type switch
    {
        MessageType.ClusterConfig => "cluster-config",
        MessageType.Index => "index",
        MessageType.IndexUpdate => "index-update",
        MessageType.Request => "request",
        MessageType.Response => "response",
        MessageType.DownloadProgress => "download-progress",
        MessageType.Ping => "ping",
        MessageType.Close => "close",
        _ => $"message type {(int)type}",
    };
}
