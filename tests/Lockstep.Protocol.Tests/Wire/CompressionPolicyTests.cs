using System.Buffers;
using Google.Protobuf;
using Lockstep.Protocol.Compression;
using Lockstep.Protocol.Framing;
using Lockstep.Protocol.Messages;
using MessageCompression = Lockstep.Protocol.Wire.MessageCompression;

namespace Lockstep.Protocol.Tests.Wire;

public sealed class CompressionPolicyTests
{
    private static readonly ProtocolLimits Limits = ProtocolLimits.Default;

    // Close { reason = (n − 2) × 'a' } marshals to n bytes (tag, one-byte length, text) for n ≤ 129.
    private static Close CloseOfLength(int marshalled) => new(new string('a', marshalled - 2));

    // Response { data = (n − 2) zero bytes } marshals to n bytes for n ≤ 129 (id 0 and code 0 are omitted).
    private static Response ResponseOfLength(int marshalled) => new() { Data = new byte[marshalled - 2] };

    private static (bool Compressed, BepMessage Decoded) Send(BepMessage message, CompressionMode mode)
    {
        var buffer = new ReadOnlySequence<byte>(MessageCodec.Encode(message, mode, Limits));
        Assert.True(FrameReader.TryRead(ref buffer, Limits, out var frame));
        return (frame.Compression == MessageCompression.Lz4, MessageCodec.Decode(frame, Limits)!);
    }

    [Theory]
    [InlineData(CompressionMode.Metadata, 127, false)]
    [InlineData(CompressionMode.Metadata, 128, true)]
    [InlineData(CompressionMode.Always, 127, false)]
    [InlineData(CompressionMode.Always, 128, true)]
    [InlineData(CompressionMode.Never, 128, false)]
    [InlineData(CompressionMode.Never, 129, false)]
    public void Metadata_messages_compress_from_128_bytes(CompressionMode mode, int marshalled, bool compressed)
    {
        var message = CloseOfLength(marshalled);
        Assert.Equal(marshalled, message.ToWireMessage().CalculateSize());

        var (wasCompressed, decoded) = Send(message, mode);
        Assert.Equal(compressed, wasCompressed);
        Assert.Equal(message, decoded);
    }

    [Theory]
    [InlineData(CompressionMode.Metadata, 127, false)]
    [InlineData(CompressionMode.Metadata, 128, false)]
    [InlineData(CompressionMode.Always, 127, false)]
    [InlineData(CompressionMode.Always, 128, true)]
    [InlineData(CompressionMode.Never, 128, false)]
    public void Responses_compress_only_under_always(CompressionMode mode, int marshalled, bool compressed)
    {
        var message = ResponseOfLength(marshalled);
        Assert.Equal(marshalled, message.ToWireMessage().CalculateSize());

        var (wasCompressed, decoded) = Send(message, mode);
        Assert.Equal(compressed, wasCompressed);
        Assert.Equal(message, decoded);
    }

    [Fact]
    public void Incompressible_messages_go_uncompressed()
    {
        var random = new Random(7);
        var data = new byte[4096];
        random.NextBytes(data);

        var (compressed, decoded) = Send(new Response { Data = data }, CompressionMode.Always);
        Assert.False(compressed);
        Assert.Equal(data, ((Response)decoded).Data.ToArray());
    }

    [Theory]
    [InlineData(128, 124)]
    [InlineData(1000, 969)]
    [InlineData(131072, 126976)]
    public void A_compressed_payload_must_save_at_least_a_32nd(int marshalled, int maxPayload)
    {
        Assert.Equal(maxPayload, CompressionPolicy.MaxPayloadLength(marshalled));
    }

    [Fact]
    public void Compression_is_kept_exactly_when_it_saves_a_32nd()
    {
        // Responses of 4 KiB whose bytes are random with a growing share of zeros: from incompressible to
        // very compressible, so both outcomes of the rule occur.
        var random = new Random(11);
        var outcomes = new HashSet<bool>();
        for (int zeroPercent = 0; zeroPercent <= 60; zeroPercent += 2)
        {
            var data = new byte[4096];
            random.NextBytes(data);
            for (int i = 0; i < data.Length; i++)
                if (random.Next(100) < zeroPercent)
                    data[i] = 0;
            var message = new Response { Data = data };
            var marshalled = message.ToWireMessage().ToByteArray();
            bool fits = Lz4Payload.TryCompress(marshalled, new byte[CompressionPolicy.MaxPayloadLength(marshalled.Length)]) > 0;

            var frame = MessageCodec.Encode(message, CompressionMode.Always, Limits);
            var buffer = new ReadOnlySequence<byte>(frame);
            Assert.True(FrameReader.TryRead(ref buffer, Limits, out var read));

            Assert.Equal(fits, read.Compression == MessageCompression.Lz4);
            Assert.True(read.Body.Length <= (fits ? CompressionPolicy.MaxPayloadLength(marshalled.Length) : marshalled.Length));
            Assert.Equal(message, MessageCodec.Decode(read, Limits));
            outcomes.Add(fits);
        }
        Assert.Equal(2, outcomes.Count);
    }

    [Fact]
    public void An_index_frame_with_lz4_has_syncthings_header()
    {
        var frame = MessageCodec.Encode(WireSamples.Index(update: false), CompressionMode.Metadata, Limits);
        Assert.Equal("0004080110 01".Replace(" ", ""), Hex.Of(frame.AsSpan(0, 6)));
    }
}
