using System.Security.Cryptography;

namespace Lockstep.Sync.Tests;

/// <summary>A file rewritten in place, again and again, while it is scanned: the index only ever holds real states.</summary>
public sealed class TornReadTests : IDisposable
{
    private const int Size = 4 * 1024 * 1024;
    private const int Block = 128 * 1024;
    private const int Write = 64 * 1024;
    private const int Rounds = 251; // round r fills the file with byte r % 251

    private readonly SyncFixture _f = new();

    public void Dispose() => _f.Dispose();

    /// <summary>What each possible block hash is: a whole block of round v, or a block half v and half v − 1.</summary>
    private static Dictionary<string, (int Round, bool Mixed)> Catalogue()
    {
        var known = new Dictionary<string, (int, bool)>();
        var block = new byte[Block];
        for (int v = 0; v < Rounds; v++)
        {
            Array.Fill(block, (byte)v);
            known[Convert.ToHexString(SHA256.HashData(block))] = (v, false);
            block.AsSpan(Write).Fill((byte)((v + Rounds - 1) % Rounds));
            known[Convert.ToHexString(SHA256.HashData(block))] = (v, true);
        }
        return known;
    }

    /// <summary>
    /// Whether a block list is a state the file really had. The writer rewrites from the start to the end, round
    /// after round, so at any instant the file is round v up to some point, then (at most one block half and half)
    /// round v − 1: new before old. A read lapped by the writer sees the opposite — old before new — and a block
    /// list with any other shape was never on disk either. The one block at the boundary may be anything (round −1):
    /// the writer can be paused inside a write, with only some of its pages copied.
    /// </summary>
    private static string? NeverExisted(IReadOnlyList<(int Round, bool Mixed)> blocks)
    {
        int i = 0;
        if (blocks[0].Round < 0)
            i++; // paused inside the first write of a round
        int v = i < blocks.Count ? blocks[i].Round : 0;
        while (i < blocks.Count && blocks[i] == (v, false))
            i++;
        if (i < blocks.Count && (blocks[i] == (v, true) || blocks[i].Round < 0))
            i++;
        int older = (v + Rounds - 1) % Rounds;
        while (i < blocks.Count && blocks[i] == (older, false))
            i++;
        return i == blocks.Count ? null : string.Join(" ", blocks.Select(b => b.Round < 0 ? "?" : b.Mixed ? $"{b.Round}/{(b.Round + Rounds - 1) % Rounds}" : $"{b.Round}"));
    }

    [Fact]
    public async Task A_file_rewritten_while_it_is_hashed_is_never_indexed_from_a_torn_read()
    {
        var known = Catalogue();
        var path = _f.Folder.Write("hot.bin", new byte[Size]);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            // Rewrites in place (no truncation), in 64 KiB writes. The writer may be paused anywhere (a loaded
            // machine does that), so a half-rewritten file is a real state; a read racing the writer is not.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            var data = new byte[Write];
            for (int round = 1; !stop.IsCancellationRequested; round++)
            {
                Array.Fill(data, (byte)(round % Rounds));
                for (int off = 0; off < Size; off += Write)
                {
                    stream.Position = off;
                    stream.Write(data);
                    stream.Flush();
                }
            }
        });
        int indexed = 0;
        try
        {
            for (int round = 0; round < 30; round++)
            {
                await _f.ScanAsync(tweak: s => s with { HashParallelism = 2 });
                var f = _f.Index.GetLocal("hot.bin");
                if (f is null)
                    continue;
                indexed++;
                var blocks = f.Blocks.Select(b => known.TryGetValue(Convert.ToHexString(b.Hash), out var k) ? k : (-1, false)).ToList();
                Assert.Null(NeverExisted(blocks));
            }
        }
        finally
        {
            stop.Cancel();
            await writer;
        }
        // Once the writes stop (always after a whole round), the next scan records the final state, which is whole.
        await _f.ScanAsync();
        var final = _f.Index.GetLocal("hot.bin");
        Assert.NotNull(final);
        Assert.Equal(Size, final.Size);
        var last = Assert.Single(final.Blocks.Select(b => Convert.ToHexString(b.Hash)).Distinct());
        Assert.False(known[last].Mixed);
    }

    [Fact]
    public void The_shape_check_accepts_real_states_and_refuses_torn_reads()
    {
        (int, bool) F(int v) => (v, false);
        Assert.Null(NeverExisted([F(5), F(5), F(5)]));
        Assert.Null(NeverExisted([F(5), (5, true), F(4), F(4)]));
        Assert.Null(NeverExisted([F(5), F(4)]));
        Assert.Null(NeverExisted([F(0), F(250)])); // the round wraps
        Assert.NotNull(NeverExisted([F(4), F(5)]));          // old before new: a lapped read
        Assert.NotNull(NeverExisted([F(5), F(4), F(5)]));
        Assert.NotNull(NeverExisted([F(5), F(3)]));
        Assert.NotNull(NeverExisted([F(5), (5, true), (5, true)]));
        Assert.Null(NeverExisted([F(5), (-1, false), F(4)]));   // paused inside a write
        Assert.Null(NeverExisted([(-1, false), F(4)]));
        Assert.NotNull(NeverExisted([F(5), (-1, false), (-1, false), F(4)]));
        Assert.NotNull(NeverExisted([F(4), (-1, false), F(5)]));
    }
}
