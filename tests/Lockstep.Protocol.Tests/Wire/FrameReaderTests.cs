using System.Buffers;
using Lockstep.Protocol.Framing;
using Lockstep.Protocol.Messages;
using MessageCompression = Lockstep.Protocol.Wire.MessageCompression;
using MessageType = Lockstep.Protocol.Wire.MessageType;

namespace Lockstep.Protocol.Tests.Wire;

public sealed class FrameReaderTests
{
    private static readonly ProtocolLimits Limits = ProtocolLimits.Default;

    private static bool TryRead(byte[] bytes, out Frame frame, out long consumed)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        bool read = FrameReader.TryRead(ref buffer, Limits, out frame);
        consumed = bytes.Length - buffer.Length;
        return read;
    }

    [Fact]
    public void A_ping_frame_is_read_and_consumed()
    {
        Assert.True(TryRead(Hex.Bytes("00020806 00000000 ff"), out var frame, out var consumed));
        Assert.Equal(MessageType.Ping, frame.Type);
        Assert.Equal(MessageCompression.None, frame.Compression);
        Assert.True(frame.Body.IsEmpty);
        Assert.Equal(8, consumed);
    }

    [Fact]
    public void A_zero_length_header_is_an_uncompressed_cluster_config()
    {
        Assert.True(TryRead(Hex.Bytes("0000 00000000"), out var frame, out _));
        Assert.Equal(MessageType.ClusterConfig, frame.Type);
        Assert.Equal(MessageCompression.None, frame.Compression);
        Assert.Equal(ClusterConfig.Empty, MessageCodec.Decode(frame, Limits));
    }

    [Fact]
    public void Every_prefix_of_a_frame_returns_false_without_consuming()
    {
        var bytes = MessageCodec.Encode(new Close("truncated"), CompressionMode.Never, Limits);
        for (int length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
            var before = buffer;
            Assert.False(FrameReader.TryRead(ref buffer, Limits, out _), $"{length} of {bytes.Length} bytes");
            Assert.Equal(before, buffer);
        }
    }

    [Fact]
    public void Frames_fed_one_byte_at_a_time_come_out_whole_and_in_order()
    {
        BepMessage[] messages =
        [
            ClusterConfig.Empty,
            Ping.Instance,
            new Close(new string('x', 300)),                              // 300 compressible bytes: LZ4
            new Request { Id = 7, Folder = "f1", Name = "a/b", Size = 131072, Hash = new byte[32] },
        ];
        var frames = messages.Select(m => MessageCodec.Encode(m, CompressionMode.Always, Limits)).ToArray();
        var stream = frames.SelectMany(f => f).ToArray();
        var frameEnds = frames.Select((_, i) => frames.Take(i + 1).Sum(f => f.Length)).ToArray();

        var received = new List<BepMessage>();
        var receivedAt = new List<int>();
        var pending = new List<byte>();
        for (int i = 0; i < stream.Length; i++)
        {
            pending.Add(stream[i]);
            var buffer = new ReadOnlySequence<byte>(pending.ToArray());
            while (FrameReader.TryRead(ref buffer, Limits, out var frame))
            {
                received.Add(MessageCodec.Decode(frame, Limits)!);
                receivedAt.Add(i + 1);
            }
            pending.RemoveRange(0, pending.Count - (int)buffer.Length);
        }

        Assert.Equal(messages, received);
        Assert.Equal(frameEnds, receivedAt);   // each frame exactly when its last byte arrived, not before
        Assert.Equal(MessageCompression.Lz4, Header(frames[2]));
        Assert.Empty(pending);
    }

    private static MessageCompression Header(byte[] frame)
    {
        var buffer = new ReadOnlySequence<byte>(frame);
        Assert.True(FrameReader.TryRead(ref buffer, Limits, out var read));
        return read.Compression;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void Frames_spanning_buffer_segments_are_read(int segmentLength)
    {
        BepMessage[] messages = [Ping.Instance, new Close(new string('y', 500)), new Close("short")];
        var bytes = messages.SelectMany(m => MessageCodec.Encode(m, CompressionMode.Always, Limits)).ToArray();
        var buffer = Sequences.Of(bytes, segmentLength);

        var received = new List<BepMessage>();
        while (FrameReader.TryRead(ref buffer, Limits, out var frame))
            received.Add(MessageCodec.Decode(frame, Limits)!);

        Assert.Equal(messages, received);
        Assert.Equal(0, buffer.Length);
    }

    [Theory]
    [InlineData("8000")]
    [InlineData("ffff")]
    public void A_negative_header_length_is_refused_with_two_bytes_buffered(string hex)
    {
        var e = Assert.Throws<ProtocolException>(() => TryRead(Hex.Bytes(hex), out _, out _));
        Assert.Equal(ProtocolError.FrameTooLarge, e.Error);
        Assert.Contains("negative header length", e.Message);
    }

    [Fact]
    public void The_largest_header_length_waits_for_its_bytes()
    {
        Assert.False(TryRead(Hex.Bytes("7fff 0801"), out _, out _));
    }

    [Theory]
    [InlineData("0002 0801 04000001", "exceeds maximum 67108864")]   // 64 MiB + 1
    [InlineData("0002 0801 1dcd6501", "exceeds maximum")]            // 500,000,001: over Syncthing's own limit too
    [InlineData("0002 0801 7fffffff", "exceeds maximum")]
    [InlineData("0002 0801 80000000", "negative message length")]
    [InlineData("0000 ffffffff", "negative message length")]
    public void A_bad_message_length_is_refused_before_the_body_arrives(string hex, string expected)
    {
        var e = Assert.Throws<ProtocolException>(() => TryRead(Hex.Bytes(hex), out _, out _));
        Assert.Equal(ProtocolError.FrameTooLarge, e.Error);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_message_at_the_limit_waits_for_its_body()
    {
        Assert.False(TryRead(Hex.Bytes("0002 0801 04000000"), out _, out _));
    }

    [Fact]
    public void The_limit_is_configurable()
    {
        var limits = new ProtocolLimits { MaxMessageSize = ProtocolLimits.MinMessageSize };
        var ok = new ReadOnlySequence<byte>(Hex.Bytes($"0002 0804 {ProtocolLimits.MinMessageSize:x8}"));
        Assert.False(FrameReader.TryRead(ref ok, limits, out _));
        var over = new ReadOnlySequence<byte>(Hex.Bytes($"0002 0804 {ProtocolLimits.MinMessageSize + 1:x8}"));
        Assert.Equal(ProtocolError.FrameTooLarge, Assert.Throws<ProtocolException>(() => FrameReader.TryRead(ref over, limits, out _)).Error);
    }

    [Theory]
    [InlineData("0002 1002 00000005")]                 // compression 2, body not yet here
    [InlineData("0004 0801 107f 00000000")]            // compression 127
    public void An_unknown_compression_is_fatal(string hex)
    {
        var e = Assert.Throws<ProtocolException>(() => TryRead(Hex.Bytes(hex), out _, out _));
        Assert.Equal(ProtocolError.BadCompression, e.Error);
    }

    [Fact]
    public void A_garbage_header_is_malformed()
    {
        var e = Assert.Throws<ProtocolException>(() => TryRead(Hex.Bytes("0002 ffff 00000000"), out _, out _));
        Assert.Equal(ProtocolError.Malformed, e.Error);
    }

    [Theory]
    [InlineData("0002 0863 00000004 deadbeef")]        // type 99, uncompressed garbage body
    [InlineData("0004 0863 1001 00000002 ffff")]       // type 99, "LZ4" that is no LZ4 at all
    [InlineData("0003 08e807 00000000")]               // type 1000 (two-byte varint)
    public void An_unknown_message_type_is_read_whole_and_skipped(string unknownHex)
    {
        var unknown = Hex.Bytes(unknownHex);
        var bytes = unknown.Concat(Hex.Bytes("00020806 00000000")).ToArray();
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.True(FrameReader.TryRead(ref buffer, Limits, out var skipped));
        Assert.False(skipped.IsKnownType);
        Assert.Null(MessageCodec.Decode(skipped, Limits));
        Assert.Equal(bytes.Length - unknown.Length, buffer.Length);

        Assert.True(FrameReader.TryRead(ref buffer, Limits, out var ping));
        Assert.Equal(Ping.Instance, MessageCodec.Decode(ping, Limits));
    }

    [Fact]
    public void Unknown_header_fields_are_ignored()
    {
        // Header { type = PING, field 3 = 1 }: a newer peer's header extension.
        Assert.True(TryRead(Hex.Bytes("0004 0806 1801 00000000"), out var frame, out _));
        Assert.Equal(MessageType.Ping, frame.Type);
    }
}
