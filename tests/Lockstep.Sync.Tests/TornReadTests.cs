using System.Security.Cryptography;

namespace Lockstep.Sync.Tests;

/// <summary>A file rewritten in place, again and again, while it is scanned: the index only ever holds real states.</summary>
public sealed class TornReadTests : IDisposable
{
    private readonly SyncFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task A_file_rewritten_while_it_is_hashed_is_never_indexed_from_a_torn_read()
    {
        const int size = 4 * 1024 * 1024;
        var a = new byte[size];
        var b = new byte[size];
        Array.Fill(a, (byte)'a');
        Array.Fill(b, (byte)'b');
        var legal = new HashSet<string>
        {
            Convert.ToHexString(SHA256.HashData(a.AsSpan(0, 128 * 1024))),
            Convert.ToHexString(SHA256.HashData(b.AsSpan(0, 128 * 1024))),
        };
        var path = _f.Folder.Write("hot.bin", a);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            // Rewrites in place (no truncation): a reader racing it would see a mix of a and b.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            int i = 0;
            while (!stop.IsCancellationRequested)
            {
                var data = i++ % 2 == 0 ? b : a;
                for (int off = 0; off < size; off += 64 * 1024)
                {
                    stream.Position = off;
                    stream.Write(data, off, 64 * 1024);
                    stream.Flush();
                }
            }
        });
        try
        {
            for (int round = 0; round < 30; round++)
            {
                await _f.ScanAsync(tweak: s => s with { HashParallelism = 2 });
                var f = _f.Index.GetLocal("hot.bin");
                if (f is null)
                    continue;
                var hashes = f.Blocks.Select(x => Convert.ToHexString(x.Hash)).Distinct().ToList();
                // A consistent read is all a or all b; a mixed block list would be a torn read in the index.
                Assert.Single(hashes);
                Assert.Contains(hashes[0], legal);
            }
        }
        finally
        {
            stop.Cancel();
            await writer;
        }
        // Once the writes stop, the next scan records the final state, which is whole.
        await _f.ScanAsync();
        var final = _f.Index.GetLocal("hot.bin");
        Assert.NotNull(final);
        Assert.Equal(size, final.Size);
        Assert.Single(final.Blocks.Select(x => Convert.ToHexString(x.Hash)).Distinct(), h => legal.Contains(h));
    }
}
