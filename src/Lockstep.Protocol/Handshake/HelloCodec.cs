using System.Buffers.Binary;
using Google.Protobuf;
using Lockstep.Protocol.Messages;

namespace Lockstep.Protocol.Handshake;

/// <summary>
/// The pre-auth Hello frame (bep-v1.md §2; Syncthing's lib/protocol/hello.go):
/// <code>
///   0            4          6                     6+n
///   +------------+----------+---------------------+
///   | 2E A7 D9 0B| n, u16BE | Hello protobuf      |
///   | magic u32BE| ≤ 32767  | (n bytes)           |
///   +------------+----------+---------------------+
/// </code>
/// The magic is checked as soon as its 4 bytes are in, before the length is even read: a pre-0.14 peer
/// sends something else entirely after them.
/// </summary>
internal static class HelloCodec
{
    public const uint Magic = 0x2EA7D90B;
    public const int MagicLength = 4;
    public const int LengthLength = 2;
    /// <summary>The length is a positive int16 for Syncthing.</summary>
    public const int MaxBodyLength = 32767;

    // 0x9F79BC40 is v0.13's Hello magic; 0x00010000/0x00010001 are the first word of a pre-0.13 ClusterConfig.
    private const uint Version13Magic = 0x9F79BC40;
    private const uint OldClusterConfigUncompressed = 0x00010000;
    private const uint OldClusterConfigCompressed = 0x00010001;

    /// <summary>The whole frame: magic, length and body, written by Syncthing in one write too.</summary>
    public static byte[] Encode(Hello hello)
    {
        var body = hello.ToWire();
        int length = body.CalculateSize();
        if (length > MaxBodyLength)
            throw new ArgumentException($"our Hello is {length} bytes; BEP allows at most {MaxBodyLength} (is the device name that long?)", nameof(hello));
        var frame = new byte[MagicLength + LengthLength + length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, Magic);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(MagicLength), (ushort)length);
        body.WriteTo(frame.AsSpan(MagicLength + LengthLength));
        return frame;
    }

    /// <summary>Throws BadMagic, telling a too-old peer from an unknown (newer?) one as Syncthing does.</summary>
    public static void CheckMagic(ReadOnlySpan<byte> magicBytes)
    {
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(magicBytes);
        switch (magic)
        {
            case Magic:
                return;
            case Version13Magic or OldClusterConfigUncompressed or OldClusterConfigCompressed:
                throw ProtocolErrors.TooOld(magic);
            default:
                throw ProtocolErrors.UnknownMagic(magic);
        }
    }

    /// <summary>The body length, once it is known to be within 32767.</summary>
    public static int ReadBodyLength(ReadOnlySpan<byte> lengthBytes)
    {
        int length = BinaryPrimitives.ReadUInt16BigEndian(lengthBytes);
        if (length > MaxBodyLength)
            throw ProtocolErrors.HelloTooLarge(length, MaxBodyLength);
        return length;
    }

    public static Hello DecodeBody(ReadOnlySpan<byte> body)
    {
        try
        {
            return Hello.FromWire(Wire.Hello.Parser.ParseFrom(body));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw ProtocolErrors.Malformed("hello", e);
        }
    }
}
