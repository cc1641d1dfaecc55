using System.Collections.Immutable;
using Google.Protobuf;
using Lockstep.Protocol.Blocks;
using Lockstep.Protocol.Identity;
using Domain = Lockstep.Protocol.Messages;

namespace Lockstep.Protocol.Wire;

/// <summary>
/// Maps the public FileInfo, BlockInfo and VersionVector (which predate the wire layer and stay free of
/// protobuf) to and from the generated types. What goes out is decided here:
/// <list type="bullet">
/// <item>blocks_hash (18) and encrypted (19) stay empty, DB-only fields (1000+) do not exist in our schema;</item>
/// <item>every block's weak_hash is 0: Syncthing's scanner.Validate accepts data on an Adler-32 match alone when
///   the announced weak hash is non-zero, so 0 forces it to check SHA-256 (and v2 dropped weak hashes anyway);</item>
/// <item>version is always present, empty or not, as Syncthing's non-nullable field is (<c>4a 00</c> when empty);
///   counters go out in the vector's order, which is ascending unsigned ID by construction.</item>
/// </list>
/// </summary>
internal static class FileInfoWire
{
    public static FileInfo ToWire(this Domain.FileInfo file)
    {
        var wire = new FileInfo
        {
            Name = WireText.Encode(file.Name),
            Type = (FileInfoType)(int)file.Type,
            Size = file.Size,
            Permissions = file.Permissions,
            ModifiedS = file.ModifiedS,
            Deleted = file.Deleted,
            Invalid = file.Invalid,
            NoPermissions = file.NoPermissions,
            Version = file.Version.ToWire(),
            Sequence = file.Sequence,
            ModifiedNs = file.ModifiedNs,
            ModifiedBy = file.ModifiedBy.Value,
            BlockSize = file.BlockSize,
            SymlinkTarget = file.SymlinkTarget,
        };
        foreach (var block in file.Blocks)
            wire.Blocks.Add(block.ToWire());
        return wire;
    }

    /// <summary>
    /// A file with blocks but block_size 0 (absent) was cut at 128 KiB, Syncthing's pre-0.14.x default; the
    /// record gets that size spelled out so nothing downstream has to know the convention. Context names the
    /// message in the error for a name that is not UTF-8 ("index for f1").
    /// </summary>
    public static Domain.FileInfo FromWire(FileInfo wire, string context = "file")
    {
        var blocks = ImmutableArray.CreateBuilder<Domain.BlockInfo>(wire.Blocks.Count);
        foreach (var block in wire.Blocks)
            blocks.Add(FromWire(block));
        return new Domain.FileInfo
        {
            Name = WireText.DecodeName(wire.Name, context),
            Type = (Domain.FileInfoType)(int)wire.Type,
            Size = wire.Size,
            Permissions = wire.Permissions,
            ModifiedS = wire.ModifiedS,
            ModifiedNs = wire.ModifiedNs,
            Deleted = wire.Deleted,
            Invalid = wire.Invalid,
            NoPermissions = wire.NoPermissions,
            Version = FromWire(wire.Version),
            Sequence = wire.Sequence,
            ModifiedBy = new ShortId(wire.ModifiedBy),
            BlockSize = wire.BlockSize == 0 && wire.Blocks.Count > 0 ? BlockSizes.Min : wire.BlockSize,
            Blocks = blocks.MoveToImmutable(),
            SymlinkTarget = wire.SymlinkTarget,
        };
    }

    // The hash array is wrapped, not copied: the wire object lives only until it is serialized, and a
    // million-block file would otherwise copy 32 MB of hashes per send.
    public static BlockInfo ToWire(this Domain.BlockInfo block) => new()
    {
        Offset = block.Offset,
        Size = block.Size,
        Hash = UnsafeByteOperations.UnsafeWrap(block.Hash),
        WeakHash = 0,
    };

    public static Domain.BlockInfo FromWire(BlockInfo wire) =>
        new(wire.Offset, wire.Size, wire.Hash.ToByteArray(), wire.WeakHash);

    public static Vector ToWire(this Domain.VersionVector version)
    {
        var wire = new Vector();
        foreach (var counter in version.Counters)
            wire.Counters.Add(new Counter { Id = counter.Id.Value, Value = counter.Value });
        return wire;
    }

    /// <summary>
    /// Missing means empty. VersionVector.From sorts by unsigned ID, so a peer's unsorted vector cannot make
    /// our compare walk go wrong; it also drops zero counters and merges duplicate IDs (keeping the highest).
    /// </summary>
    public static Domain.VersionVector FromWire(Vector? wire) =>
        wire is null || wire.Counters.Count == 0
            ? Domain.VersionVector.Empty
            : Domain.VersionVector.From(wire.Counters.Select(c => new Domain.Counter(new ShortId(c.Id), c.Value)));
}
