using Lockstep.Protocol.Blocks;
using Lockstep.Protocol.Messages;

namespace Lockstep.Protocol.Tests.Wire;

public sealed class LimitsAndBlocksHashTests
{
    [Fact]
    public void Default_limits_are_documented_values()
    {
        var limits = ProtocolLimits.Default;
        Assert.Equal(64 * 1024 * 1024, limits.MaxMessageSize);
        Assert.Equal(1 << 20, limits.MaxBlocksPerFile);
        Assert.Equal(4096, limits.MaxNameLength);
    }

    [Theory]
    [InlineData(ProtocolLimits.MinMessageSize - 1)]
    [InlineData(ProtocolLimits.SyncthingMaxMessageSize + 1)]
    [InlineData(-1)]
    public void Out_of_range_message_limits_are_refused_at_startup(int value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProtocolLimits { MaxMessageSize = value });
    }

    [Fact]
    public void Other_limits_are_checked_too()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProtocolLimits { MaxBlocksPerFile = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProtocolLimits { MaxNameLength = 254 });
        Assert.Equal(ProtocolLimits.SyncthingMaxMessageSize, new ProtocolLimits { MaxMessageSize = ProtocolLimits.SyncthingMaxMessageSize }.MaxMessageSize);
    }

    // bep-v1.md §8, values matched against Syncthing's.
    [Theory]
    [InlineData("a206224d057e78ae6dfd8fecdd53450568030199d2799fce82d72accbef65a1e", 173081117u,
        "c0b301f93f8612950621ef94c920d6e8c693d7eade9a4af84e1715e7a574a490")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0u,
        "d3bfe98e8f1ce891614854569a20f5f4508d6ab4025b872b7b3a8282ef75b12a")]
    public void Blocks_hash_matches_syncthing(string hash, uint weakHash, string expected)
    {
        var block = new BlockInfo(0, 7, Hex.Bytes(hash), weakHash);
        Assert.Equal(expected, Hex.Of(BlocksHash.Compute([block])));
    }
}
