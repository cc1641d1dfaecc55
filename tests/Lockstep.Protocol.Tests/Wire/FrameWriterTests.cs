using System.Buffers;
using Lockstep.Protocol.Framing;
using Lockstep.Protocol.Messages;
using MessageCompression = Lockstep.Protocol.Wire.MessageCompression;
using MessageType = Lockstep.Protocol.Wire.MessageType;

namespace Lockstep.Protocol.Tests.Wire;

public sealed class FrameWriterTests
{
    // bep-v1.md §3: header length + Header bytes per type; each frame here has an empty body.
    [Theory]
    [InlineData(0, 0, "0000")]
    [InlineData(0, 1, "0002 1001")]
    [InlineData(1, 0, "0002 0801")]
    [InlineData(1, 1, "0004 0801 1001")]
    [InlineData(2, 0, "0002 0802")]
    [InlineData(3, 0, "0002 0803")]
    [InlineData(4, 0, "0002 0804")]
    [InlineData(5, 0, "0002 0805")]
    [InlineData(6, 0, "0002 0806")]
    [InlineData(7, 0, "0002 0807")]
    public void Header_bytes_match_syncthing(int type, int compression, string headerHex)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.Write(output, (MessageType)type, (MessageCompression)compression, []);

        Assert.Equal(Hex.Of(Hex.Bytes(headerHex + "00000000")), Hex.Of(output.WrittenSpan));
        Assert.Equal(Hex.Bytes(headerHex).Length + 4, FrameWriter.PrefixLength((MessageType)type, (MessageCompression)compression));
    }

    [Fact]
    public void A_ping_frame_is_the_captured_eight_bytes()
    {
        Assert.Equal("0002080600000000", Hex.Of(MessageCodec.Encode(Ping.Instance, CompressionMode.Always, ProtocolLimits.Default)));
    }

    [Fact]
    public void An_empty_cluster_config_is_six_zero_bytes()
    {
        Assert.Equal("000000000000", Hex.Of(MessageCodec.Encode(ClusterConfig.Empty, CompressionMode.Always, ProtocolLimits.Default)));
    }

    [Fact]
    public void A_close_frame_carries_its_reason()
    {
        var frame = MessageCodec.Encode(new Close("bye"), CompressionMode.Metadata, ProtocolLimits.Default);
        Assert.Equal("00020807 00000005 0a03627965".Replace(" ", ""), Hex.Of(frame));
    }

    [Fact]
    public void The_body_length_is_big_endian()
    {
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.Write(output, MessageType.Response, MessageCompression.None, new byte[0x010203]);
        Assert.Equal("0002 0804 00010203".Replace(" ", ""), Hex.Of(output.WrittenSpan[..8]));
        Assert.Equal(8 + 0x010203, output.WrittenCount);
    }
}
