using System.Collections.Immutable;
using Google.Protobuf;
using Lockstep.Protocol.Wire;

namespace Lockstep.Protocol.Messages;

/// <summary>
/// Index or IndexUpdate: the two share one shape (folder + files) and differ only in what the receiver
/// does (bep-v1.md §5.3). An Index makes Syncthing drop everything it knew from us for the folder before
/// applying the files, so a full index split over several messages is one Index followed by IndexUpdates.
/// </summary>
public sealed record IndexMessage : BepMessage
{
    public required string Folder { get; init; }
    public ImmutableArray<FileInfo> Files { get; init; } = [];
    /// <summary>False: Index (replace). True: IndexUpdate (add or replace the listed files).</summary>
    public bool IsUpdate { get; init; }

    /// <summary>An Index: the receiver forgets what it had from us for this folder first.</summary>
    public static IndexMessage Full(string folder, ImmutableArray<FileInfo> files) => new() { Folder = folder, Files = files };

    /// <summary>An IndexUpdate: the receiver adds or replaces just these files.</summary>
    public static IndexMessage Update(string folder, ImmutableArray<FileInfo> files) =>
        new() { Folder = folder, Files = files, IsUpdate = true };

    internal override Wire.MessageType WireType => IsUpdate ? Wire.MessageType.IndexUpdate : Wire.MessageType.Index;

    internal override IMessage ToWireMessage()
    {
        var files = Files.IsDefault ? [] : Files.Select(f => f.ToWire());
        if (IsUpdate)
        {
            var update = new Wire.IndexUpdate { Folder = Folder };
            update.Files.AddRange(files);
            return update;
        }
        var index = new Wire.Index { Folder = Folder };
        index.Files.AddRange(files);
        return index;
    }

    internal static IndexMessage FromWire(Wire.Index wire) =>
        new() { Folder = wire.Folder, Files = Map(wire.Files, "index for " + wire.Folder) };

    internal static IndexMessage FromWire(Wire.IndexUpdate wire) =>
        new() { Folder = wire.Folder, Files = Map(wire.Files, "index-update for " + wire.Folder), IsUpdate = true };

    private static ImmutableArray<FileInfo> Map(IReadOnlyCollection<Wire.FileInfo> files, string context)
    {
        var builder = ImmutableArray.CreateBuilder<FileInfo>(files.Count);
        foreach (var file in files)
            builder.Add(FileInfoWire.FromWire(file, context));
        return builder.MoveToImmutable();
    }

    public bool Equals(IndexMessage? other) =>
        other is not null && Folder == other.Folder && IsUpdate == other.IsUpdate && RecordEquality.Items(Files, other.Files);

    public override int GetHashCode() => HashCode.Combine(Folder, IsUpdate, RecordEquality.Count(Files));
}
