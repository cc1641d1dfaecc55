using System.Buffers;
using System.Text;
using Google.Protobuf;
using Lockstep.Protocol.Compression;
using Lockstep.Protocol.Framing;
using Lockstep.Protocol.Messages;
using MessageCompression = Lockstep.Protocol.Wire.MessageCompression;
using MessageType = Lockstep.Protocol.Wire.MessageType;

namespace Lockstep.Protocol.Tests.Wire;

public sealed class Lz4PayloadTests
{
    private static readonly ProtocolLimits Limits = ProtocolLimits.Default;

    private static byte[] Compress(byte[] data)
    {
        var destination = new byte[Lz4Payload.PrefixLength + Lz4Payload.MaxBlockLength(data.Length)];
        int length = Lz4Payload.TryCompress(data, destination);
        Assert.True(length > 0);
        return destination[..length];
    }

    private static Frame LzFrame(MessageType type, byte[] payload) =>
        new(type, MessageCompression.Lz4, new ReadOnlySequence<byte>(payload));

    [Fact]
    public void A_hand_made_raw_block_with_a_big_endian_prefix_decodes()
    {
        // 00000005 = 5 bytes; block = token 0x50 (5 literals, no match) + "hello": no frame magic, no checksum.
        var payload = Hex.Bytes("00000005 50 68656c6c6f");
        var output = new byte[Lz4Payload.ReadDeclaredLength(payload, Limits)];
        Lz4Payload.Decompress(payload, output);
        Assert.Equal("hello", Encoding.ASCII.GetString(output));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(100_000)]
    [InlineData(16 * 1024 * 1024)]
    public void Payloads_round_trip_with_the_length_prefix_big_endian(int length)
    {
        var data = Enumerable.Range(0, length).Select(i => (byte)(i % 251 < 200 ? 'a' : i % 7)).ToArray();
        var payload = Compress(data);

        Assert.Equal(Hex.Of(BitConverter.GetBytes(length).Reverse().ToArray()), Hex.Of(payload.AsSpan(0, 4)));
        var output = new byte[Lz4Payload.ReadDeclaredLength(payload, Limits)];
        Lz4Payload.Decompress(payload, output);
        Assert.Equal(data, output);
    }

    [Fact]
    public void The_most_compressible_data_stays_within_the_expansion_bound()
    {
        var zeros = new byte[16 * 1024 * 1024];
        var payload = Compress(zeros);
        Assert.Equal(zeros.Length, Lz4Payload.ReadDeclaredLength(payload, Limits));
    }

    // Runs the decode path once so JIT and first-use allocations are not counted against the case under test.
    private static void WarmUp()
    {
        var close = new Close(new string('w', 300));
        Assert.Equal(close, MessageCodec.Decode(LzFrame(MessageType.Close, Compress(close.ToWireMessage().ToByteArray())), Limits));
        Assert.Throws<ProtocolException>(() => MessageCodec.Decode(LzFrame(MessageType.Close, Hex.Bytes("7fffffff 00")), Limits));
    }

    [Fact]
    public void A_declared_size_of_one_gib_throws_without_allocating_it()
    {
        var payload = Hex.Bytes("40000000 50 68656c6c6f");   // declares 1 GiB
        var frame = LzFrame(MessageType.Index, payload);
        WarmUp();

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ProtocolException>(() => MessageCodec.Decode(frame, Limits));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ProtocolError.FrameTooLarge, e.Error);
        Assert.Contains("declared size 1073741824 exceeds maximum", e.Message);
        Assert.True(allocated < 256 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void A_declared_size_no_block_of_that_length_can_produce_throws_without_allocating_it()
    {
        var payload = Hex.Bytes("03000000 50 68656c6c6f");   // 48 MiB, within the limit, from a 6-byte block
        var frame = LzFrame(MessageType.Index, payload);
        WarmUp();

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ProtocolException>(() => MessageCodec.Decode(frame, Limits));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ProtocolError.DecompressFailed, e.Error);
        Assert.True(allocated < 256 * 1024, $"allocated {allocated} bytes");
    }

    [Theory]
    [InlineData("")]
    [InlineData("000000")]
    [InlineData("00000005")]                 // a prefix and no block
    [InlineData("00000064 f0ffff")]          // literal length runs past the block
    [InlineData("00000005 50 68656c6c")]     // block cut short
    public void Invalid_payloads_fail_to_decompress(string hex)
    {
        var e = Assert.Throws<ProtocolException>(() => MessageCodec.Decode(LzFrame(MessageType.Close, Hex.Bytes(hex)), Limits));
        Assert.Equal(ProtocolError.DecompressFailed, e.Error);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void The_decompressed_length_must_equal_the_declared_one(int delta)
    {
        var body = new Close(new string('z', 400)).ToWireMessage();
        var payload = Compress(body.ToByteArray());
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)(400 + 3 + delta));

        var e = Assert.Throws<ProtocolException>(() => MessageCodec.Decode(LzFrame(MessageType.Close, payload), Limits));
        Assert.Equal(ProtocolError.DecompressFailed, e.Error);
    }

    [Fact]
    public void A_block_that_does_not_fit_the_destination_is_not_compressed()
    {
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 50).Select(i => $"line {i};")));
        int needed = Compress(data).Length;

        Assert.Equal(needed, Lz4Payload.TryCompress(data, new byte[needed]));
        Assert.Equal(0, Lz4Payload.TryCompress(data, new byte[needed - 1]));
    }

    [Fact]
    public void Every_message_type_is_accepted_compressed_whatever_our_policy()
    {
        // Syncthing may compress anything (its setting for us is "always"); receiving never depends on ours.
        var ping = LzFrame(MessageType.Ping, Compress([]));
        Assert.Equal(Ping.Instance, MessageCodec.Decode(ping, Limits));
        var cc = LzFrame(MessageType.ClusterConfig, Compress([]));
        Assert.Equal(ClusterConfig.Empty, MessageCodec.Decode(cc, Limits));
    }
}
