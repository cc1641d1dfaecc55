using Google.Protobuf;
using Lockstep.Protocol.Wire;

namespace Lockstep.Protocol.Messages;

/// <summary>
/// A request for one block of a file (bep-v1.md §5.8). Offset, Size, Hash and BlockNo describe exactly one
/// block of the indexed version; Id is unique among the sender's outstanding requests on the connection.
/// Leave WeakHash 0: the server then checks the data against SHA-256 instead of trusting an Adler-32 match.
/// </summary>
public sealed record Request : BepMessage
{
    public int Id { get; init; }
    public required string Folder { get; init; }
    public required string Name { get; init; }
    public long Offset { get; init; }
    public int Size { get; init; }
    /// <summary>SHA-256 of the block (32 bytes).</summary>
    public byte[] Hash { get; init; } = [];
    /// <summary>Read from the temp file (.syncthing.NAME.tmp); only after we announced it in DownloadProgress.</summary>
    public bool FromTemporary { get; init; }
    public uint WeakHash { get; init; }
    /// <summary>Offset / block size.</summary>
    public int BlockNo { get; init; }

    internal override Wire.MessageType WireType => Wire.MessageType.Request;

    internal override IMessage ToWireMessage() => new Wire.Request
    {
        Id = Id,
        Folder = Folder,
        Name = WireText.Encode(Name),
        Offset = Offset,
        Size = Size,
        Hash = ByteString.CopyFrom(Hash),
        FromTemporary = FromTemporary,
        WeakHash = WeakHash,
        BlockNo = BlockNo,
    };

    internal static Request FromWire(Wire.Request wire) => new()
    {
        Id = wire.Id,
        Folder = wire.Folder,
        Name = WireText.DecodeName(wire.Name, "request in " + wire.Folder),
        Offset = wire.Offset,
        Size = wire.Size,
        Hash = wire.Hash.ToByteArray(),
        FromTemporary = wire.FromTemporary,
        WeakHash = wire.WeakHash,
        BlockNo = wire.BlockNo,
    };

    public bool Equals(Request? other) =>
        other is not null && Id == other.Id && Folder == other.Folder && Name == other.Name && Offset == other.Offset &&
        Size == other.Size && RecordEquality.Bytes(Hash, other.Hash) && FromTemporary == other.FromTemporary &&
        WeakHash == other.WeakHash && BlockNo == other.BlockNo;

    public override int GetHashCode() => HashCode.Combine(Id, Folder, Name, Offset, Size);
}
