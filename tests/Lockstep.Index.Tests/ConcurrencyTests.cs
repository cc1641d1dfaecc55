using System.Collections.Concurrent;
using Lockstep.Index.Tests.Support;
using static Lockstep.Index.Tests.Support.TestFiles;

namespace Lockstep.Index.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Parallel_commits_keep_sequences_unique_and_increasing_while_readers_stream()
    {
        using var temp = new TempIndex();
        var folder = temp.Db.Folder("f");
        const int Batches = 150, BatchSize = 4;
        var batches = new ConcurrentBag<IReadOnlyList<long>>();
        using var start = new Barrier(3);

        void Writer(string prefix)
        {
            start.SignalAndWait();
            for (int b = 0; b < Batches; b++)
            {
                var changes = Enumerable.Range(0, BatchSize).Select(i => File($"{prefix}/{b}/{i}", b).Local()).ToList();
                batches.Add(folder.CommitLocal(changes).Select(f => f.Sequence).ToList());
            }
        }

        int reads = 0;
        var writers = Task.WhenAll(Task.Run(() => Writer("x")), Task.Run(() => Writer("y")));
        void Reader()
        {
            start.SignalAndWait();
            while (!writers.IsCompleted || reads == 0)
            {
                // Every snapshot a reader sees is consistent: sequence order, no duplicates.
                var seen = folder.LocalSince(0).Select(f => f.Sequence).ToList();
                Assert.Equal(seen.Distinct().Order(), seen);
                Interlocked.Increment(ref reads);
            }
        }

        await Task.WhenAll(writers, Task.Run(Reader));

        var all = batches.SelectMany(b => b).ToList();
        Assert.Equal(2 * Batches * BatchSize, all.Count);
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Order());
        Assert.All(batches, b => Assert.Equal(Enumerable.Range((int)b[0], BatchSize).Select(i => (long)i), b)); // a batch is contiguous
        Assert.Equal(all.Count, folder.MaxSequence);
        Assert.Equal(all.Count, folder.EnumerateLocalMeta().Count());
        Assert.True(reads > 0);
    }

    [Fact]
    public void Parallel_first_use_of_a_folder_yields_one_folder()
    {
        using var temp = new TempIndex();

        var folders = Enumerable.Range(0, 8).AsParallel().Select(_ => temp.Db.Folder("shared")).ToList();

        Assert.All(folders, f => Assert.Same(folders[0], f));
        Assert.Equal(["shared"], temp.Db.FolderIds());
    }
}
