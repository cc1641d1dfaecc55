using Lockstep.Protocol.Messages;

namespace Lockstep.Sync.Tests.Exchange;

/// <summary>The entry cache of the Request server never outlives a change to the index.</summary>
public sealed class RequestServerCacheTests : RequestServerTestBase
{
    [Fact]
    public async Task A_new_local_version_is_seen_at_once_by_the_next_request()
    {
        var v1 = await WriteAndScanAsync("doc.bin", TwoBlocks());
        Assert.Equal(ErrorCode.NoError, (await ServeAsync(RequestFor(v1, 0))).Code); // v1's entry is now cached
        var v2Content = TwoBlocks();
        var v2 = await WriteAndScanAsync("doc.bin", v2Content);
        // The old version's block is no longer ours, even though the disk read would fail its hash anyway:
        // the refusal comes from the index (no rescan asked), which proves the cache was dropped.
        AssertRefused(ErrorCode.NoSuchFile, await ServeAsync(RequestFor(v1, 0)));
        Assert.Empty(Rescans);
        var served = await ServeAsync(RequestFor(v2, 1));
        Assert.Equal(ErrorCode.NoError, served.Code);
        Assert.Equal(v2Content.AsSpan(BlockSize).ToArray(), served.Data.ToArray());
    }
}
