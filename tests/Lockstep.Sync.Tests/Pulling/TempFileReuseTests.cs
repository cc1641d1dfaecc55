using System.Security.Cryptography;
using Lockstep.FileSystem.Ignore;
using Lockstep.FileSystem.Names;
using Lockstep.Protocol.Identity;
using Lockstep.Sync.Pulling;

namespace Lockstep.Sync.Tests.Pulling;

/// <summary>
/// A temp file left by an earlier attempt, of any length, ends as exactly the announced file: the blocks it holds
/// are kept, the rest fetched, and its length is right whether it was shorter (a small file is not sized first; its
/// last block's write sizes it) or longer than the target.
/// </summary>
public sealed class TempFileReuseTests : IDisposable
{
    private const int Block = 128 * 1024;
    private static readonly DeviceId Peer = new(Enumerable.Repeat((byte)9, 32).ToArray());
    private readonly SyncFixture _target = new();
    private readonly SyncFixture _source = new();
    private readonly byte[] _data = RandomNumberGenerator.GetBytes(6 * Block - 1000); // six blocks, the last one short

    public void Dispose()
    {
        _target.Dispose();
        _source.Dispose();
    }

    /// <summary>The peer's file, scanned there and announced to the target.</summary>
    private async Task AnnounceAsync()
    {
        File.WriteAllBytes(_source.Folder.Combine("f.bin"), _data);
        await _source.ScanAsync(tweak: s => s with { LocalDevice = Peer.Short });
        _target.Index.ReplaceRemote(Peer, [_source.Index.GetLocal("f.bin")! with { Sequence = 1 }]);
    }

    private Task<PullSummary> PullAsync(IBlockRequester peer) =>
        new Puller(_target.Settings(s => s with { Peers = [Peer] }), _target.Index, peer, new PullProgress(), _ => { }, _target.Clock)
            .RunAsync(IgnoreMatcher.Empty, allowDeletes: false, CancellationToken.None);

    private async Task<(PullSummary Summary, SourcePeer Peer)> PullWithTempAsync(byte[] temp)
    {
        await AnnounceAsync();
        File.WriteAllBytes(_target.Folder.Combine(InternalNames.TempNameFor("f.bin")), temp);
        var peer = new SourcePeer(Peer, _source.Folder.Path);
        return (await PullAsync(peer), peer);
    }

    private void AssertLanded(PullSummary summary)
    {
        Assert.Empty(summary.Errors);
        Assert.Equal(_data, File.ReadAllBytes(_target.Folder.Combine("f.bin")));
        Assert.False(File.Exists(_target.Folder.Combine(InternalNames.TempNameFor("f.bin"))));
    }

    [Fact]
    public async Task A_short_temp_file_keeps_its_blocks_and_its_last_fetched_block_gives_the_file_its_length()
    {
        var (summary, peer) = await PullWithTempAsync(_data[..(2 * Block)]);
        AssertLanded(summary);
        Assert.Equal(4, peer.RequestsFor("f.bin"));
    }

    [Fact]
    public async Task A_temp_file_missing_a_middle_block_gets_only_that_block()
    {
        var temp = (byte[])_data.Clone();
        temp.AsSpan(2 * Block, Block).Clear();
        var (summary, peer) = await PullWithTempAsync(temp);
        AssertLanded(summary);
        Assert.Equal(1, peer.RequestsFor("f.bin"));
    }

    [Fact]
    public async Task A_temp_file_longer_than_the_target_is_cut_to_its_length()
    {
        var (summary, peer) = await PullWithTempAsync([.. _data, .. RandomNumberGenerator.GetBytes(3 * Block)]);
        AssertLanded(summary);
        Assert.Equal(0, peer.RequestsFor("f.bin"));
    }

    [Fact]
    public async Task A_failed_attempt_leaves_a_short_temp_file_that_the_retry_completes()
    {
        await AnnounceAsync();
        // The peer cannot read its file: no block arrives, the temp file stays short (not sized up front with holes
        // that would pass for data), the target is not there, and the retry fetches every block.
        var gone = new SourcePeer(Peer, Path.Combine(_source.Folder.Path, "missing"));
        var first = await PullAsync(gone);
        Assert.Equal("f.bin", Assert.Single(first.Errors).Name);
        Assert.False(File.Exists(_target.Folder.Combine("f.bin")));
        Assert.True(new System.IO.FileInfo(_target.Folder.Combine(InternalNames.TempNameFor("f.bin"))).Length < _data.Length);

        var peer = new SourcePeer(Peer, _source.Folder.Path);
        var second = await PullAsync(peer);
        AssertLanded(second);
        Assert.Equal(6, peer.RequestsFor("f.bin"));
    }
}
