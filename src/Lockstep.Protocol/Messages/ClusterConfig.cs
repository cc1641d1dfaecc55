using System.Collections.Immutable;
using Google.Protobuf;

namespace Lockstep.Protocol.Messages;

/// <summary>
/// The folders a device shares on this connection and, per folder, every device sharing it with the
/// index ID and highest sequence it holds for each (bep-v1.md §5.2). First message each way after the
/// Hello; may arrive again at any time, and each one is the full new state.
/// </summary>
public sealed record ClusterConfig : BepMessage
{
    public static ClusterConfig Empty { get; } = new();

    public ImmutableArray<FolderAnnouncement> Folders { get; init; } = [];

    internal override Wire.MessageType WireType => Wire.MessageType.ClusterConfig;

    internal override IMessage ToWireMessage() => ToWire();

    internal Wire.ClusterConfig ToWire()
    {
        var wire = new Wire.ClusterConfig();
        foreach (var folder in Folders.IsDefault ? [] : Folders)
            wire.Folders.Add(folder.ToWire());
        return wire;
    }

    internal static ClusterConfig FromWire(Wire.ClusterConfig wire) =>
        new() { Folders = [.. wire.Folders.Select(FolderAnnouncement.FromWire)] };

    public bool Equals(ClusterConfig? other) => other is not null && RecordEquality.Items(Folders, other.Folders);

    public override int GetHashCode() => RecordEquality.Count(Folders);
}
