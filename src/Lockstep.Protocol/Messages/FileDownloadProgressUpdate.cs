using System.Collections.Immutable;
using Lockstep.Protocol.Wire;

namespace Lockstep.Protocol.Messages;

/// <summary>One file's temp-file progress; match it to the index on Name and Version (bep-v1.md §5.9).</summary>
public sealed record FileDownloadProgressUpdate
{
    public FileDownloadProgressUpdateType UpdateType { get; init; }
    public required string Name { get; init; }
    public VersionVector Version { get; init; } = VersionVector.Empty;
    public ImmutableArray<int> BlockIndexes { get; init; } = [];
    public int BlockSize { get; init; }

    internal Wire.FileDownloadProgressUpdate ToWire()
    {
        var wire = new Wire.FileDownloadProgressUpdate
        {
            UpdateType = (Wire.FileDownloadProgressUpdateType)(int)UpdateType,
            Name = Name,
            Version = Version.ToWire(),
            BlockSize = BlockSize,
        };
        wire.BlockIndexes.AddRange(BlockIndexes.IsDefault ? [] : BlockIndexes);
        return wire;
    }

    internal static FileDownloadProgressUpdate FromWire(Wire.FileDownloadProgressUpdate wire) => new()
    {
        UpdateType = (FileDownloadProgressUpdateType)(int)wire.UpdateType,
        Name = wire.Name,
        Version = FileInfoWire.FromWire(wire.Version),
        BlockIndexes = [.. wire.BlockIndexes],
        BlockSize = wire.BlockSize,
    };

    public bool Equals(FileDownloadProgressUpdate? other) =>
        other is not null && UpdateType == other.UpdateType && Name == other.Name && Version.Equals(other.Version) &&
        RecordEquality.Items(BlockIndexes, other.BlockIndexes) && BlockSize == other.BlockSize;

    public override int GetHashCode() => HashCode.Combine(UpdateType, Name, Version);
}
