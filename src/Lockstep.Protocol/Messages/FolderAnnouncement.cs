using System.Collections.Immutable;

namespace Lockstep.Protocol.Messages;

/// <summary>
/// One folder in a ClusterConfig (wire message Folder). Named apart from the configuration's folder type.
/// For Syncthing 1.19 only Id, Devices, Paused and DisableTempIndexes change behaviour; the rest is shown
/// to users. A v2 peer sends its folder type in field 3 and a stop reason in field 7; both read as booleans
/// here (any non-zero value is true).
/// </summary>
public sealed record FolderAnnouncement
{
    public required string Id { get; init; }
    public string Label { get; init; } = "";
    /// <summary>The sender's folder is send-only.</summary>
    public bool ReadOnly { get; init; }
    public bool IgnorePermissions { get; init; }
    public bool IgnoreDelete { get; init; }
    /// <summary>"Don't send me DownloadProgress for this folder."</summary>
    public bool DisableTempIndexes { get; init; }
    public bool Paused { get; init; }
    /// <summary>Every device sharing the folder, the sender and the receiver included.</summary>
    public ImmutableArray<DeviceAnnouncement> Devices { get; init; } = [];

    internal Wire.Folder ToWire()
    {
        var wire = new Wire.Folder
        {
            Id = Id,
            Label = Label,
            ReadOnly = ReadOnly,
            IgnorePermissions = IgnorePermissions,
            IgnoreDelete = IgnoreDelete,
            DisableTempIndexes = DisableTempIndexes,
            Paused = Paused,
        };
        foreach (var device in Devices.IsDefault ? [] : Devices)
            wire.Devices.Add(device.ToWire());
        return wire;
    }

    internal static FolderAnnouncement FromWire(Wire.Folder wire) => new()
    {
        Id = wire.Id,
        Label = wire.Label,
        ReadOnly = wire.ReadOnly,
        IgnorePermissions = wire.IgnorePermissions,
        IgnoreDelete = wire.IgnoreDelete,
        DisableTempIndexes = wire.DisableTempIndexes,
        Paused = wire.Paused,
        Devices = [.. wire.Devices.Select(DeviceAnnouncement.FromWire)],
    };

    public bool Equals(FolderAnnouncement? other) =>
        other is not null && Id == other.Id && Label == other.Label && ReadOnly == other.ReadOnly &&
        IgnorePermissions == other.IgnorePermissions && IgnoreDelete == other.IgnoreDelete &&
        DisableTempIndexes == other.DisableTempIndexes && Paused == other.Paused &&
        RecordEquality.Items(Devices, other.Devices);

    public override int GetHashCode() => HashCode.Combine(Id, RecordEquality.Count(Devices));
}
