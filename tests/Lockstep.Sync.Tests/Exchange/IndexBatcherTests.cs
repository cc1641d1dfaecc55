using System.Collections.Immutable;
using Lockstep.Index;
using Lockstep.Protocol.Messages;
using Lockstep.Sync.Exchange;

namespace Lockstep.Sync.Tests.Exchange;

public sealed class IndexBatcherTests : IDisposable
{
    private readonly SyncFixture _f = new();

    public void Dispose() => _f.Dispose();

    private void Commit(int count, int blocksEach = 1, string prefix = "f")
    {
        var block = new BlockInfo(0, 1, new byte[32]);
        var files = Enumerable.Range(0, count).Select(i => new LocalFile(new FileInfo
        {
            Name = $"{prefix}{i:D6}",
            Size = blocksEach,
            BlockSize = 131072,
            Blocks = Enumerable.Range(0, blocksEach).Select(b => block with { Offset = b }).ToImmutableArray(),
            Version = VersionVector.Empty.Update(SyncFixture.Me, 1),
        }, 0)).ToList();
        foreach (var chunk in files.Chunk(5000))
            _f.Index.CommitLocal(chunk);
    }

    [Fact]
    public void A_peer_without_our_index_id_gets_everything_first_batch_an_index()
    {
        Commit(2500);
        var batches = IndexBatcher.Plan(_f.Index, peerIndexId: 0, peerMaxSequence: 0).ToList();
        Assert.Equal([true, false, false], batches.Select(b => b.IsIndex));
        Assert.Equal([1000, 1000, 500], batches.Select(b => b.Files.Count));
        var sequences = batches.SelectMany(b => b.Files).Select(f => f.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, 2500).Select(i => (long)i), sequences);
    }

    [Fact]
    public void A_peer_with_our_index_id_gets_only_what_is_newer_as_updates()
    {
        Commit(10);
        var batches = IndexBatcher.Plan(_f.Index, _f.Index.IndexId, peerMaxSequence: 7).ToList();
        var only = Assert.Single(batches);
        Assert.False(only.IsIndex);
        Assert.Equal([8L, 9L, 10L], only.Files.Select(f => f.Sequence));
        Assert.Empty(IndexBatcher.Plan(_f.Index, _f.Index.IndexId, 10)); // up to date: nothing at all
    }

    [Fact]
    public void A_changed_index_id_or_a_peer_ahead_of_us_forces_a_full_send()
    {
        Commit(5);
        Assert.True(IndexBatcher.Plan(_f.Index, _f.Index.IndexId ^ 1, 5).First().IsIndex);
        Assert.True(IndexBatcher.Plan(_f.Index, _f.Index.IndexId, 99).First().IsIndex); // we restarted numbering
        Assert.Equal(5, IndexBatcher.Plan(_f.Index, _f.Index.IndexId, 99).Sum(b => b.Files.Count));
    }

    [Fact]
    public void An_empty_folder_sends_nothing()
    {
        Assert.Empty(IndexBatcher.Plan(_f.Index, 0, 0));
    }

    [Fact]
    public void Batches_close_at_250_KiB()
    {
        Commit(100, blocksEach: 200); // ~8.8 KB each: about 29 files per batch
        var batches = IndexBatcher.Plan(_f.Index, 0, 0).ToList();
        Assert.True(batches.Count > 2);
        Assert.All(batches[..^1], b =>
        {
            var size = b.Files.Sum(IndexBatcher.EstimatedWireSize);
            Assert.InRange(size, IndexBatcher.MaxBytesPerBatch, IndexBatcher.MaxBytesPerBatch + IndexBatcher.EstimatedWireSize(b.Files[^1]));
        });
        Assert.Equal(100, batches.Sum(b => b.Files.Count));
    }
}
