using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Lockstep.Protocol.Identity;

namespace Lockstep.Node.Config;

/// <summary>
/// A synced folder (an entry of <c>folders:</c> in config.yaml). Durations keep Syncthing's names and units
/// (seconds, fractions allowed) so the file and the REST config map one to one; code should use the
/// <see cref="TimeSpan"/> accessors. Equality compares the device list by content.
/// </summary>
public sealed record FolderConfig
{
    /// <summary>Syncthing's default full-rescan interval: one hour.</summary>
    public const double DefaultRescanIntervalS = 3600;

    /// <summary>Short, so a change reaches peers quickly; the watcher debounces per path within it.</summary>
    public const double DefaultFsWatcherDelayS = 0.05;

    /// <summary>Syncthing's default number of conflict copies kept per file.</summary>
    public const int DefaultMaxConflicts = 10;

    /// <summary>Default <c>maxDeletePercent</c>: a pull deleting more than half the files waits for a person.</summary>
    public const int DefaultMaxDeletePercent = 50;

    /// <summary>Default <c>pullerMaxPendingKiB</c>, Syncthing's: 32 MiB requested and not yet written.</summary>
    public const int DefaultPullerMaxPendingKiB = 32 * 1024;

    /// <summary>The folder ID shared by every device that syncs it (<c>id</c>); must be non-empty and unique.</summary>
    public required string Id { get; init; }

    /// <summary>A name for people (<c>label</c>); defaults to empty.</summary>
    public string Label { get; init; } = "";

    /// <summary>The folder root (<c>path</c>); must be absolute and must not overlap another folder.</summary>
    public required string Path { get; init; }

    /// <summary>How the folder syncs (<c>type</c>); defaults to <see cref="FolderType.SendReceive"/>.</summary>
    public FolderType Type { get; init; } = FolderType.SendReceive;

    /// <summary>The devices the folder is shared with (<c>devices</c>); each must be listed in <see cref="NodeConfig.Devices"/>.</summary>
    public ImmutableArray<DeviceId> Devices { get; init => field = value.IsDefault ? [] : value; } = [];

    /// <summary>Seconds between full rescans (<c>rescanIntervalS</c>); 0 turns periodic rescans off. Defaults to 3600.</summary>
    public double RescanIntervalS { get; init; } = DefaultRescanIntervalS;

    /// <summary>Watch the folder for changes (<c>fsWatcherEnabled</c>); defaults to true.</summary>
    public bool FsWatcherEnabled { get; init; } = true;

    /// <summary>Seconds the watcher waits for a path to settle (<c>fsWatcherDelayS</c>); 0 to 3600, defaults to 0.05.</summary>
    public double FsWatcherDelayS { get; init; } = DefaultFsWatcherDelayS;

    /// <summary>Neither record nor apply permission bits (<c>ignorePerms</c>); defaults to false.</summary>
    public bool IgnorePerms { get; init; }

    /// <summary>Conflict copies kept per file (<c>maxConflicts</c>): -1 unlimited, 0 none; defaults to 10.</summary>
    public int MaxConflicts { get; init; } = DefaultMaxConflicts;

    /// <summary>A pull that would delete more than this percentage of the folder's files pauses it (<c>maxDeletePercent</c>).</summary>
    public int MaxDeletePercent { get; init; } = DefaultMaxDeletePercent;

    /// <summary>Syncthing's default <c>scanProgressIntervalS</c>: a FolderScanProgress event every 2 s of a scan.</summary>
    public const double DefaultScanProgressIntervalS = 2;

    /// <summary>
    /// Seconds between FolderScanProgress events while the folder scans (<c>scanProgressIntervalS</c>, as Syncthing):
    /// 0 means the default 2, a negative value turns them off.
    /// </summary>
    public double ScanProgressIntervalS { get; init; }

    /// <summary>The order files are pulled in (<c>order</c>, Syncthing's values; default random).</summary>
    public Lockstep.Sync.Pulling.PullOrder Order { get; init; } = Lockstep.Sync.Pulling.PullOrder.Random;

    /// <summary>KiB requested from peers and not yet written, at most (<c>pullerMaxPendingKiB</c>).</summary>
    public int PullerMaxPendingKiB { get; init; } = DefaultPullerMaxPendingKiB;

    /// <summary>What happens to the bytes a remote change replaces or deletes (<c>versioning:</c>, off by default).</summary>
    public VersioningConfig Versioning { get; init; } = VersioningConfig.None;

    /// <summary>Which bytes stay live after a conflict (<c>conflictStrategy</c>: newest, largest, prefer:DEVICEID, manual).</summary>
    public Lockstep.Sync.Global.ConflictStrategy ConflictStrategy { get; init; } = Lockstep.Sync.Global.ConflictStrategy.Default;

    /// <summary><see cref="RescanIntervalS"/> as a duration; <see cref="TimeSpan.Zero"/> means no periodic rescan.</summary>
    public TimeSpan RescanInterval => TimeSpan.FromSeconds(RescanIntervalS);

    /// <summary><see cref="FsWatcherDelayS"/> as a duration.</summary>
    public TimeSpan FsWatcherDelay => TimeSpan.FromSeconds(FsWatcherDelayS);

    /// <inheritdoc />
    public bool Equals(FolderConfig? other) =>
        other is not null
        && Id == other.Id
        && Label == other.Label
        && Path == other.Path
        && Type == other.Type
        && Devices.SequenceEqual(other.Devices)
        && RescanIntervalS.Equals(other.RescanIntervalS)
        && FsWatcherEnabled == other.FsWatcherEnabled
        && FsWatcherDelayS.Equals(other.FsWatcherDelayS)
        && IgnorePerms == other.IgnorePerms
        && MaxConflicts == other.MaxConflicts
        && MaxDeletePercent == other.MaxDeletePercent
        && ScanProgressIntervalS.Equals(other.ScanProgressIntervalS)
        && Order == other.Order
        && PullerMaxPendingKiB == other.PullerMaxPendingKiB
        && Versioning == other.Versioning
        && ConflictStrategy == other.ConflictStrategy;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Path, Type, Devices.Length, RescanIntervalS, MaxConflicts);

    // ImmutableArray prints as its type name; list the devices instead. Numbers in invariant form, as in the file.
    private bool PrintMembers(StringBuilder builder)
    {
        var invariant = CultureInfo.InvariantCulture;
        builder.Append("Id = ").Append(Id)
            .Append(", Label = ").Append(Label)
            .Append(", Path = ").Append(Path)
            .Append(", Type = ").Append(Type)
            .Append(", Devices = [").AppendJoin(", ", Devices).Append(']')
            .Append(invariant, $", RescanIntervalS = {RescanIntervalS}, FsWatcherEnabled = {FsWatcherEnabled}")
            .Append(invariant, $", FsWatcherDelayS = {FsWatcherDelayS}, IgnorePerms = {IgnorePerms}, MaxConflicts = {MaxConflicts}")
            .Append(invariant, $", MaxDeletePercent = {MaxDeletePercent}, Order = {Order}, PullerMaxPendingKiB = {PullerMaxPendingKiB}");
        return true;
    }
}
