using System.Buffers;
using Lockstep.Protocol.Blocks;
using Lockstep.Protocol.Messages;

namespace Lockstep.Protocol.Framing;

/// <summary>
/// The fast path for the one message that carries bulk data. Google.Protobuf would copy a block into a fresh
/// array (a large-object allocation per 128 KiB block); this reads the canonical encoding of
/// <c>Response { int32 id = 1; bytes data = 2; ErrorCode code = 3; }</c> and copies the data once, into a pooled
/// <see cref="BlockBuffer"/> that becomes the Response's lease. Anything else — another field, another wire type,
/// a truncated or overlong varint — returns null and the caller parses with Google.Protobuf, so every odd input
/// gets exactly the generic parser's answer (including its error).
/// </summary>
internal static class ResponseDecoder
{
    private const ulong IdTag = (1 << 3) | 0;   // varint
    private const ulong DataTag = (2 << 3) | 2; // length-delimited
    private const ulong CodeTag = (3 << 3) | 0; // varint

    public static Response? TryDecode(ReadOnlySequence<byte> body)
    {
        var reader = new SequenceReader<byte>(body);
        int id = 0, code = 0;
        BlockBuffer? data = null;
        while (!reader.End)
        {
            if (!TryReadVarint(ref reader, out ulong tag))
                return Abandon(data);
            switch (tag)
            {
                case IdTag when TryReadVarint(ref reader, out ulong value):
                    id = unchecked((int)value); // int32 on the wire: a negative id is a 10-byte varint, truncated as protobuf does
                    break;
                case CodeTag when TryReadVarint(ref reader, out ulong value):
                    code = unchecked((int)value);
                    break;
                case DataTag when TryReadVarint(ref reader, out ulong length) && length <= (ulong)reader.Remaining:
                    data?.Dispose(); // a repeated bytes field: the last one wins, as in protobuf
                    data = BlockBuffer.Rent((int)length);
                    reader.TryCopyTo(data.Span);
                    reader.Advance((long)length);
                    break;
                default:
                    return Abandon(data);
            }
        }
        return new Response
        {
            Id = id,
            Code = (ErrorCode)code,
            Data = data is null ? ReadOnlyMemory<byte>.Empty : data.Memory,
            Lease = data,
        };
    }

    private static Response? Abandon(BlockBuffer? data)
    {
        data?.Dispose();
        return null;
    }

    /// <summary>A protobuf varint of at most 10 bytes; false when it is truncated or longer.</summary>
    private static bool TryReadVarint(ref SequenceReader<byte> reader, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (!reader.TryRead(out byte b))
                return false;
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return true;
        }
        return false;
    }
}
