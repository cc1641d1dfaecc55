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
}
