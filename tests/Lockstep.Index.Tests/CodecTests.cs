using System.Collections.Immutable;
using Lockstep.Index.Storage;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using static Lockstep.Index.Tests.Support.TestFiles;

namespace Lockstep.Index.Tests;

public sealed class CodecTests
{
    [Fact]
    public void A_version_vector_is_16_big_endian_bytes_per_counter()
    {
        var vector = VersionVector.From([new Counter(new ShortId(1), 2), new Counter(new ShortId(ulong.MaxValue), ulong.MaxValue)]);

        var blob = VersionCodec.Encode(vector)!;

        Assert.Equal(Convert.FromHexString("0000000000000001" + "0000000000000002" + "FFFFFFFFFFFFFFFF" + "FFFFFFFFFFFFFFFF"), blob);
        Assert.Equal(vector, VersionCodec.Decode(blob));
        Assert.Null(VersionCodec.Encode(VersionVector.Empty));
        Assert.Equal(VersionVector.Empty, VersionCodec.Decode([]));
        Assert.Throws<InvalidDataException>(() => VersionCodec.Decode(new byte[15]));
    }

    [Fact]
    public void A_block_list_round_trips_and_a_truncated_one_is_refused()
    {
        ImmutableArray<BlockInfo> blocks = [new BlockInfo(0, 10, Hash(1), 7), new BlockInfo(10, 5, Hash(2), uint.MaxValue), new BlockInfo(15, 0, [], 0)];

        var blob = BlockListCodec.Encode(blocks)!;

        Assert.Equal(49 + 49 + 17, blob.Length);
        Assert.Equal(blocks.AsEnumerable(), BlockListCodec.Decode(blob).AsEnumerable());
        Assert.Null(BlockListCodec.Encode([]));
        Assert.Empty(BlockListCodec.Decode([]));
        Assert.Throws<InvalidDataException>(() => BlockListCodec.Decode(blob.AsSpan(0, 60)));
        Assert.Throws<InvalidDataException>(() => BlockListCodec.Decode(blob.AsSpan(0, 10)));
    }
}
