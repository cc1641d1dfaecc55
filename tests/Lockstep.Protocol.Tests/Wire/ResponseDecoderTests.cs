using System.Buffers;
using Google.Protobuf;
using Lockstep.Protocol.Blocks;
using Lockstep.Protocol.Framing;
using Lockstep.Protocol.Messages;
using MessageCompression = Lockstep.Protocol.Wire.MessageCompression;
using MessageType = Lockstep.Protocol.Wire.MessageType;

namespace Lockstep.Protocol.Tests.Wire;

/// <summary>
/// The Response fast path must give exactly what Google.Protobuf gives, for every body it accepts, and hand every
/// other body back to it.
/// </summary>
public sealed class ResponseDecoderTests
{
    private static Response Generic(byte[] body) => Response.FromWire(Lockstep.Protocol.Wire.Response.Parser.ParseFrom(body));

    private static byte[] Body(Response r) => r.ToWireMessage().ToByteArray();

    public static TheoryData<int, int, int, int> Cases() => new()
    {
        // id, code, data length, segment length of the receive buffer
        { 0, 0, 0, 64 },
        { 1, 0, 1, 64 },
        { 7, 2, 0, 64 },
        { int.MaxValue, 0, 131072, 65536 },
        { -1, 0, 17, 3 },            // a negative int32 id is a 10-byte varint
        { 300, 3, 131072, 4096 },
        { 12345, -5, 5, 1 },         // an unknown negative code passes through as a number
        { 2, 0, 1 << 20, 16384 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decodes_canonical_bodies_as_protobuf_does_and_leases_the_bytes(int id, int code, int length, int segment)
    {
        var data = new byte[length];
        new Random(length + id).NextBytes(data);
        var body = Body(new Response { Id = id, Code = (ErrorCode)code, Data = data });

        using var fast = ResponseDecoder.TryDecode(Sequences.Of(body, segment));
        Assert.NotNull(fast);
        Assert.Equal(Generic(body), fast);
        Assert.Equal(data, fast.Data.ToArray());
        Assert.Equal(length > 0, fast.Lease is not null); // proto3 omits empty bytes, so nothing is rented
    }

    [Theory]
    [InlineData("1802 0805 1203010203")]        // fields out of order: code, id, data
    [InlineData("12 02 0a0b 12 03 010203 0801")] // data twice: the last wins
    [InlineData("12 00")]                        // present but empty
    public void Decodes_non_canonical_but_valid_orders_like_protobuf(string hex)
    {
        var body = Hex.Bytes(hex);
        using var fast = ResponseDecoder.TryDecode(new ReadOnlySequence<byte>(body));
        Assert.NotNull(fast);
        Assert.Equal(Generic(body), fast);
    }

    [Theory]
    [InlineData("0801 7801")]                    // an unknown field
    [InlineData("0801 0d01000000")]              // field 1 with a fixed32 wire type
    [InlineData("12 05 0102")]                   // data longer than the body
    [InlineData("08 ffffffffffffffffffff01")]    // an 11-byte varint
    [InlineData("08")]                           // a truncated varint
    public void Hands_anything_else_to_the_generic_parser(string hex)
    {
        var body = Hex.Bytes(hex);
        Assert.Null(ResponseDecoder.TryDecode(new ReadOnlySequence<byte>(body)));
    }

    [Fact]
    public void Through_the_codec_odd_bodies_still_decode_or_fail_as_before()
    {
        var unknown = new Frame(MessageType.Response, MessageCompression.None, new ReadOnlySequence<byte>(Hex.Bytes("0801 7801 12 01 aa")));
        Assert.Equal(new Response { Id = 1, Data = new byte[] { 0xAA } }, MessageCodec.Decode(unknown, ProtocolLimits.Default));

        var truncated = new Frame(MessageType.Response, MessageCompression.None, new ReadOnlySequence<byte>(Hex.Bytes("12 05 0102")));
        Assert.Equal(ProtocolError.Malformed, Assert.Throws<ProtocolException>(() => MessageCodec.Decode(truncated, ProtocolLimits.Default)).Error);
    }

    [Fact]
    public void A_block_buffer_cannot_be_read_after_it_is_returned_and_returning_twice_is_harmless()
    {
        var buffer = BlockBuffer.Rent(131072);
        Assert.Equal(131072, buffer.Memory.Length);
        buffer.Dispose();
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.Memory);
        Assert.Equal(0, BlockBuffer.Rent(0).Memory.Length);
    }
}
