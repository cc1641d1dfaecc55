using System.Buffers;
using Lockstep.Protocol.Framing;
using Lockstep.Protocol.Messages;
using MessageCompression = Lockstep.Protocol.Wire.MessageCompression;
using MessageType = Lockstep.Protocol.Wire.MessageType;

namespace Lockstep.Protocol.Tests.Wire;

public sealed class MessageCodecTests
{
    private static readonly ProtocolLimits Limits = ProtocolLimits.Default;

    public static TheoryData<string, CompressionMode> RoundTripCases()
    {
        var data = new TheoryData<string, CompressionMode>();
        foreach (var (name, _) in WireSamples.All())
            foreach (var mode in Enum.GetValues<CompressionMode>())
                data.Add(name, mode);
        return data;
    }

    private static BepMessage Sample(string name) => WireSamples.All().Single(s => s.Name == name).Message;

    private static Frame ReadFrame(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(FrameReader.TryRead(ref buffer, Limits, out var frame));
        Assert.Equal(0, buffer.Length);
        return frame;
    }

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public void Every_message_type_round_trips(string sample, CompressionMode mode)
    {
        var message = Sample(sample);
        var bytes = MessageCodec.Encode(message, mode, Limits);
        var frame = ReadFrame(bytes);

        Assert.Equal(message.WireType, frame.Type);
        Assert.Equal(message, MessageCodec.Decode(frame, Limits));
    }

    [Theory]
    [InlineData("index", CompressionMode.Metadata, true)]
    [InlineData("index", CompressionMode.Always, true)]
    [InlineData("index", CompressionMode.Never, false)]
    [InlineData("response", CompressionMode.Metadata, false)]
    [InlineData("response", CompressionMode.Always, true)]
    [InlineData("long close", CompressionMode.Metadata, true)]
    public void Large_compressible_messages_follow_the_policy(string sample, CompressionMode mode, bool compressed)
    {
        var frame = ReadFrame(MessageCodec.Encode(Sample(sample), mode, Limits));
        Assert.Equal(compressed ? MessageCompression.Lz4 : MessageCompression.None, frame.Compression);
    }

    [Fact]
    public void The_captured_cluster_config_decodes_and_re_encodes_byte_for_byte()
    {
        // bep-v1.md §8: our ClusterConfig as Syncthing 1.19.2 accepted it (device IDs filled in).
        var captured = Hex.Bytes($"""
            0000 0000006a
            0a 68
              0a 02 6631 | 12 02 4631 | 30 01
              82 01 25 0a 20 {Hex.Of(WireSamples.SyncthingId.Bytes)} 12 01 41
              82 01 33 0a 20 {Hex.Of(WireSamples.OurId.Bytes)} 12 05 70726f6265 40 88ef99abc5e88c9111
            """);

        var decoded = Assert.IsType<ClusterConfig>(MessageCodec.Decode(ReadFrame(captured), Limits));

        var folder = Assert.Single(decoded.Folders);
        Assert.Equal(("f1", "F1", true, false), (folder.Id, folder.Label, folder.DisableTempIndexes, folder.Paused));
        Assert.Equal(2, folder.Devices.Length);
        Assert.Equal((WireSamples.SyncthingId, "A", 0UL), (folder.Devices[0].Id, folder.Devices[0].Name, folder.Devices[0].IndexId));
        Assert.Equal((WireSamples.OurId, "probe", 0x1122334455667788UL), (folder.Devices[1].Id, folder.Devices[1].Name, folder.Devices[1].IndexId));
        Assert.Equal(Hex.Of(captured), Hex.Of(MessageCodec.Encode(decoded, CompressionMode.Metadata, Limits)));
    }

    [Theory]
    [InlineData(1, "ffffffff")]          // Index: an invalid tag
    [InlineData(2, "0a0561")]            // IndexUpdate: folder says 5 bytes, 1 follows
    [InlineData(0, "0a03 0a")]           // ClusterConfig: a folder cut short
    [InlineData(3, "12")]                // Request: a tag without its value
    [InlineData(4, "08ffffffffffffffffffff01")]  // Response: an 11-byte varint
    [InlineData(7, "0a")]                // Close: a length-delimited field without its length
    [InlineData(6, "0a")]                // Ping: a body that is not protobuf at all
    public void Garbage_protobuf_is_malformed(int type, string bodyHex)
    {
        var body = Hex.Bytes(bodyHex);
        var frame = new Frame((MessageType)type, MessageCompression.None, new ReadOnlySequence<byte>(body));

        var e = Assert.Throws<ProtocolException>(() => MessageCodec.Decode(frame, Limits));
        Assert.Equal(ProtocolError.Malformed, e.Error);
        Assert.Contains(MessageCodec.Describe((MessageType)type), e.Message);
    }

    [Fact]
    public void A_device_id_that_is_not_32_bytes_is_malformed()
    {
        // ClusterConfig { folders { id "f" devices { id = 31 bytes } } }
        var body = Hex.Bytes("0a 27 0a0166 8201 21 0a1f" + new string('a', 62));
        var frame = new Frame(MessageType.ClusterConfig, MessageCompression.None, new ReadOnlySequence<byte>(body));

        var e = Assert.Throws<ProtocolException>(() => MessageCodec.Decode(frame, Limits));
        Assert.Equal(ProtocolError.Malformed, e.Error);
        Assert.Contains("31 bytes", e.Message);
    }

    [Theory]
    [InlineData(1, "0a02 6631 12 05 0a03 61ff62", "index for f1")]      // Index { folder "f1", files { name 61 ff 62 } }
    [InlineData(2, "0a02 6631 12 04 0a02 c328", "index-update for f1")] // IndexUpdate, name c3 28
    [InlineData(3, "12 02 6631 1a 03 eda080", "request in f1")]           // Request, name = a UTF-16 surrogate encoded as UTF-8 (CESU)
    public void A_name_that_is_not_utf8_is_refused_not_replaced(int type, string bodyHex, string context)
    {
        var frame = new Frame((MessageType)type, MessageCompression.None, new ReadOnlySequence<byte>(Hex.Bytes(bodyHex)));

        var e = Assert.Throws<ProtocolException>(() => MessageCodec.Decode(frame, Limits));
        Assert.Equal(ProtocolError.InvalidName, e.Error);
        Assert.StartsWith(context + ": ", e.Message);
        Assert.Contains("not valid UTF-8", e.Message);
    }

    [Fact]
    public void Other_strings_are_decoded_leniently()
    {
        // Google.Protobuf replaces invalid UTF-8 in string fields; only names (declared bytes) are strict.
        var frame = new Frame(MessageType.Close, MessageCompression.None, new ReadOnlySequence<byte>(Hex.Bytes("0a02 c328")));
        Assert.Equal(new Close("\uFFFD("), MessageCodec.Decode(frame, Limits));
    }

    [Fact]
    public void Decoded_messages_do_not_alias_the_receive_buffer()
    {
        var bytes = MessageCodec.Encode(new Response { Id = 1, Data = new byte[] { 1, 2, 3, 4 } }, CompressionMode.Never, Limits);
        var decoded = Assert.IsType<Response>(MessageCodec.Decode(ReadFrame(bytes), Limits));

        Array.Fill(bytes, (byte)0xEE);   // the connection reuses its buffer for the next frame
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, decoded.Data.ToArray());
    }

    [Fact]
    public void An_outgoing_message_over_the_limit_is_refused()
    {
        var limits = new ProtocolLimits { MaxMessageSize = ProtocolLimits.MinMessageSize };
        var big = new Response { Data = new byte[ProtocolLimits.MinMessageSize] };

        var e = Assert.Throws<ProtocolException>(() => MessageCodec.Encode(big, CompressionMode.Never, limits));
        Assert.Equal(ProtocolError.MessageTooLarge, e.Error);
    }

    [Fact]
    public void Unknown_fields_in_messages_are_skipped()
    {
        // Close { reason "x", field 15 = 1, field 1000 (bytes) = "zz" }
        var body = Hex.Bytes("0a0178 7801 c23e027a7a");
        var frame = new Frame(MessageType.Close, MessageCompression.None, new ReadOnlySequence<byte>(body));
        Assert.Equal(new Close("x"), MessageCodec.Decode(frame, Limits));
    }
}
