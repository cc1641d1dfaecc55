using Lockstep.Index.Tests.Support;
using Xunit.Abstractions;
using static Lockstep.Index.Tests.Support.TestFiles;

namespace Lockstep.Index.Tests;

/// <summary>
/// The two hot paths of a scan. Each runs alone (its own non-parallel collection), is warmed up, and counts
/// its best of three rounds. The bound applies to the process's CPU time (user + kernel, so a commit per file
/// or a write per row still shows), with wall time reported beside it: on a shared machine running other
/// builds, wall time measures the neighbours. The bounds catch a regression of kind (a statement per file
/// outside the transaction, an enumeration that buffers), not jitter.
/// </summary>
[Collection(nameof(PerformanceTests))]
public sealed class PerformanceTests(ITestOutputHelper output)
{
    private const int Rounds = 3;

    [Fact]
    public void Committing_10000_small_files_in_one_call_takes_well_under_a_second()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        folder.CommitLocal(Batch("warm-up", 1_000)); // JIT tiers and statement preparation are not the subject

        var best = Measurement.None;
        for (int round = 0; round < Rounds; round++)
        {
            var changes = Batch($"round{round}", 10_000);
            var measure = Measurement.Start();
            var stored = folder.CommitLocal(changes);
            best = best.Min(measure.Stop());
            Assert.Equal(1_000 + (round + 1) * 10_000, stored[^1].Sequence);
        }

        output.WriteLine($"CommitLocal(10,000 new files, 1 block each), best of {Rounds}: {best}");
        Assert.Equal([new BlockLocation("round2/dir99/file09999.txt", 0, BlockSize)], folder.FindBlock(Hash(9999 + 2_000_000)));
        Assert.True(best.Cpu < TimeSpan.FromSeconds(1), $"took {best}");
    }

    [Fact]
    public void Enumerating_the_metadata_of_100000_entries_streams_quickly_in_little_memory()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        for (int batch = 0; batch < 10; batch++)
            folder.CommitLocal(Enumerable.Range(batch * 10_000, 10_000).Select(i => File($"d{i % 300:D3}/f{i:D6}", i).Local()).ToList());
        // Memory first, in a round of its own: a full collection midway would cost the timed rounds their clock.
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long growthMidway = 0;
        int seen = 0;
        foreach (var meta in folder.EnumerateLocalMeta())
        {
            if (++seen == 50_000)
                growthMidway = GC.GetTotalMemory(forceFullCollection: true) - before;
        }

        var best = Measurement.None;
        for (int round = 0; round < Rounds; round++)
        {
            int count = 0;
            string? last = null;
            var measure = Measurement.Start();
            foreach (var meta in folder.EnumerateLocalMeta())
            {
                if (last is not null && IndexNameComparer.Instance.Compare(last, meta.Name) >= 0)
                    Assert.Fail($"'{meta.Name}' after '{last}'");
                last = meta.Name;
                count++;
            }
            best = best.Min(measure.Stop());
            Assert.Equal(100_000, count);
        }

        output.WriteLine($"EnumerateLocalMeta(100,000), best of {Rounds}: {best}; heap growth at 50,000 rows: {growthMidway / 1024} KiB");
        Assert.True(best.Cpu < TimeSpan.FromSeconds(0.5), $"took {best}");
        // 50,000 buffered rows would hold several MiB; a streaming reader holds one row and a page cache.
        Assert.True(growthMidway < 4 * 1024 * 1024, $"heap grew by {growthMidway} bytes while streaming");
    }

    private static List<LocalFile> Batch(string root, int count) =>
        Enumerable.Range(0, count)
            .Select(i => File($"{root}/dir{i % 100:D2}/file{i:D5}.txt", i + SeedOffset(root)).Local((ulong)i + 1))
            .ToList();

    // Distinct content per round, so every round inserts new block lookups rather than repeating hashes.
    private static int SeedOffset(string root) => root.StartsWith("round", StringComparison.Ordinal) ? int.Parse(root[5..]) * 1_000_000 : -1_000_000;
}

[CollectionDefinition(nameof(PerformanceTests), DisableParallelization = true)]
public sealed class PerformanceCollection;
