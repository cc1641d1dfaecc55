using Lockstep.Index;
using Lockstep.Protocol.Identity;
using Lockstep.Sync.Folders;
using Lockstep.Testing;

namespace Lockstep.Sync.Tests;

/// <summary>A folder on disk with its marker, a real SQLite index in another directory, and a fixed clock.</summary>
internal sealed class SyncFixture : IDisposable
{
    public static readonly ShortId Me = new(0x1111_2222_3333_4444UL);
    public const long T0 = 1_800_000_000;

    public TempDirectory Folder { get; } = new("folder");
    public TempDirectory Home { get; } = new("home");
    public FixedClock Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(T0));
    public IndexDatabase Db { get; private set; }

    public SyncFixture(bool marker = true)
    {
        if (marker)
            FolderMarker.Create(Folder.Path);
        Db = IndexDatabase.Open(Path.Combine(Home.Path, "index.db"));
    }

    public FolderIndex Index => Db.Folder("f1");

    public FolderSettings Settings(Func<FolderSettings, FolderSettings>? tweak = null)
    {
        var s = new FolderSettings { Id = "f1", Path = Folder.Path, LocalDevice = Me, WatcherEnabled = false, RetryDelay = TimeSpan.FromMilliseconds(50) };
        return tweak is null ? s : tweak(s);
    }

    public Task<ScanSummary> ScanAsync(IReadOnlyCollection<string>? paths = null, Func<FolderSettings, FolderSettings>? tweak = null) =>
        new LocalScan(Settings(tweak), Index, Clock).RunAsync(paths);

    public void Reopen()
    {
        Db.Dispose();
        Db = IndexDatabase.Open(Path.Combine(Home.Path, "index.db"));
    }

    public void Dispose()
    {
        Db.Dispose();
        Folder.Dispose();
        Home.Dispose();
    }
}
