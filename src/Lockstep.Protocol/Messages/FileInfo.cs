using System.Collections.Immutable;
using Lockstep.Protocol.Identity;

namespace Lockstep.Protocol.Messages;

/// <summary>
/// A file, directory or symlink as BEP describes it (bep-v1.md §4, §5.6). Names are folder-relative,
/// '/'-separated, NFC. Sequence is the announcing device's per-folder sequence; 0 until the index assigns one.
/// </summary>
public sealed record FileInfo
{
    public required string Name { get; init; }
    public FileInfoType Type { get; init; }
    public long Size { get; init; }
    /// <summary>Mode bits &amp; 0777 (ignored when NoPermissions).</summary>
    public uint Permissions { get; init; }
    public long ModifiedS { get; init; }
    public int ModifiedNs { get; init; }
    public bool Deleted { get; init; }
    public bool Invalid { get; init; }
    public bool NoPermissions { get; init; }
    public VersionVector Version { get; init; } = VersionVector.Empty;
    public long Sequence { get; init; }
    public ShortId ModifiedBy { get; init; }
    /// <summary>Block size in bytes; 0 for items without blocks.</summary>
    public int BlockSize { get; init; }
    public ImmutableArray<BlockInfo> Blocks { get; init; } = ImmutableArray<BlockInfo>.Empty;
    public string SymlinkTarget { get; init; } = "";

    public bool IsDirectory => Type == FileInfoType.Directory;
    public bool IsSymlink => Type is FileInfoType.Symlink or FileInfoType.SymlinkFile or FileInfoType.SymlinkDirectory;
    public bool IsFile => Type == FileInfoType.File;

    public DateTimeOffset ModifiedTime =>
        DateTimeOffset.FromUnixTimeSeconds(ModifiedS).AddTicks(ModifiedNs / 100);

    /// <summary>Value equality: ImmutableArray compares by reference, so blocks are compared element by element.</summary>
    public bool Equals(FileInfo? other) =>
        other is not null && Name == other.Name && Type == other.Type && Size == other.Size && Permissions == other.Permissions &&
        ModifiedS == other.ModifiedS && ModifiedNs == other.ModifiedNs && Deleted == other.Deleted && Invalid == other.Invalid &&
        NoPermissions == other.NoPermissions && Version.Equals(other.Version) && Sequence == other.Sequence &&
        ModifiedBy == other.ModifiedBy && BlockSize == other.BlockSize && SymlinkTarget == other.SymlinkTarget &&
        Blocks.SequenceEqual(other.Blocks);

    public override int GetHashCode() => HashCode.Combine(Name, Size, ModifiedS, ModifiedNs, Sequence, Version);

    /// <summary>
    /// Same content and metadata as another version, ignoring version, sequence and modifier: what the
    /// folder runner uses to tell "rescanned but unchanged" from a real change.
    /// </summary>
    public bool SameContentAs(FileInfo other, bool comparePermissions) =>
        Name == other.Name && Type == other.Type && Deleted == other.Deleted && Invalid == other.Invalid &&
        Size == other.Size && ModifiedS == other.ModifiedS && ModifiedNs == other.ModifiedNs &&
        SymlinkTarget == other.SymlinkTarget &&
        (!comparePermissions || (NoPermissions == other.NoPermissions && Permissions == other.Permissions)) &&
        Blocks.SequenceEqual(other.Blocks);
}
