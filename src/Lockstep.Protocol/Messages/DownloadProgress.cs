using System.Collections.Immutable;
using Google.Protobuf;

namespace Lockstep.Protocol.Messages;

/// <summary>
/// Which blocks of files being pulled are already in temp files (bep-v1.md §5.9). Syncthing sends these only
/// for folders where our ClusterConfig said disable_temp_indexes=false; a minimal peer ignores them.
/// </summary>
public sealed record DownloadProgress : BepMessage
{
    public required string Folder { get; init; }
    public ImmutableArray<FileDownloadProgressUpdate> Updates { get; init; } = [];

    internal override Wire.MessageType WireType => Wire.MessageType.DownloadProgress;

    internal override IMessage ToWireMessage()
    {
        var wire = new Wire.DownloadProgress { Folder = Folder };
        foreach (var update in Updates.IsDefault ? [] : Updates)
            wire.Updates.Add(update.ToWire());
        return wire;
    }

    internal static DownloadProgress FromWire(Wire.DownloadProgress wire) => new()
    {
        Folder = wire.Folder,
        Updates = [.. wire.Updates.Select(FileDownloadProgressUpdate.FromWire)],
    };

    public bool Equals(DownloadProgress? other) =>
        other is not null && Folder == other.Folder && RecordEquality.Items(Updates, other.Updates);

    public override int GetHashCode() => HashCode.Combine(Folder, RecordEquality.Count(Updates));
}
