using Lockstep.Index;
using Lockstep.Node.Hosting;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using Lockstep.Testing;

namespace Lockstep.Node.Tests.Hosting;

/// <summary>Folder summaries are walked again only when the index changed, and at most every MaxAge while it keeps changing.</summary>
public sealed class FolderSummariesTests : IDisposable
{
    private readonly TempDirectory _dir = new("summaries");
    private readonly IndexDatabase _db;
    private readonly ManualTimeProvider _clock = new();

    public FolderSummariesTests() => _db = IndexDatabase.Open(_dir.Combine("index.db"));

    public void Dispose()
    {
        _db.Dispose();
        _dir.Dispose();
    }

    private void Add(string name) => _db.Folder("f").CommitLocal([new LocalFile(new Lockstep.Protocol.Messages.FileInfo
    {
        Name = name, Size = 3, BlockSize = 131072, Permissions = 0b110_100_100,
        Blocks = [new BlockInfo(0, 3, new byte[32])], Version = VersionVector.Empty.Update(new ShortId(1), 1),
    }, 1)]);

    [Fact]
    public async Task A_quiet_folder_is_walked_once_and_a_busy_one_at_most_every_max_age_without_waiting()
    {
        var summaries = new FolderSummaries(() => _db, _clock);
        Add("one");
        Assert.Equal(1, summaries.Of("f", []).Local.Files);
        Assert.Equal(1, summaries.Of("f", []).Local.Files);
        Assert.Equal(1, summaries.Computed); // nothing changed: no second walk

        Add("two");
        Assert.Equal(1, summaries.Of("f", [], busy: true).Local.Files); // changed while syncing, and younger than MaxAge
        Assert.Equal(1, summaries.Computed);
        Assert.Equal(2, summaries.Of("f", [], busy: false).Local.Files); // at rest: always exact
        Assert.Equal(2, summaries.Computed);

        Add("three");
        _clock.Advance(FolderSummaries.MaxAge);
        Assert.Equal(2, summaries.Of("f", [], busy: true).Local.Files); // busy and older than MaxAge: answered at once, walked behind
        await Eventually.TrueAsync(() => summaries.Computed == 3, TimeSpan.FromSeconds(10), "the background walk");
        Assert.Equal(3, summaries.Of("f", [], busy: true).Local.Files);

        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(3, summaries.Of("f", []).Local.Files); // old but unchanged: still no walk
        Assert.Equal(3, summaries.Computed);
    }

    [Fact]
    public async Task Requests_that_pile_up_while_the_index_keeps_changing_share_a_walk_instead_of_taking_turns()
    {
        // A folder big enough that a walk takes a while, and a writer committing throughout (a thread of its own, so it
        // keeps going while the walks run): every walk ends with the index changed again, so a request that only
        // accepted an unchanged stamp would walk once more.
        var folder = _db.Folder("f");
        folder.CommitLocal(Enumerable.Range(0, 20_000).Select(i => new LocalFile(new Lockstep.Protocol.Messages.FileInfo
        {
            Name = $"d{i / 100:D3}/f{i:D5}", Size = 3, BlockSize = 131072, Permissions = 0b110_100_100,
            Blocks = [new BlockInfo(0, 3, new byte[32])], Version = VersionVector.Empty.Update(new ShortId(1), 1),
        }, 1)).ToList());
        var summaries = new FolderSummaries(() => _db, _clock);
        using var stop = new CancellationTokenSource();
        var writer = Task.Factory.StartNew(() =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
                Add($"zz/new{i}");
        }, TaskCreationOptions.LongRunning);
        const int Requests = 8;
        using var start = new Barrier(Requests);
        var requests = Enumerable.Range(0, Requests).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return summaries.Of("f", []).Local.Files;
        }, TaskCreationOptions.LongRunning)).ToArray();
        var answers = await Task.WhenAll(requests);
        await stop.CancelAsync();
        await writer;

        Assert.All(answers, files => Assert.True(files >= 20_000, $"an answer counted {files} files"));
        // Requests that arrived together share the walk that began after them; a straggler starts at most one more
        // each. Taking turns, they would make eight walks.
        Assert.True(summaries.Computed <= Requests / 2, $"{summaries.Computed} walks for {Requests} requests that came at once");
    }
}
