using Google.Protobuf;

namespace Lockstep.Protocol.Messages;

/// <summary>
/// The answer to a Request with the same Id: the block's bytes, or an error code and no data. Responses may
/// arrive in any order; Syncthing serves requests concurrently.
/// </summary>
public sealed record Response : BepMessage
{
    public int Id { get; init; }
    /// <summary>The block's bytes. Not copied on the way out: do not reuse the buffer until the message is written.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }
    public ErrorCode Code { get; init; }

    internal override Wire.MessageType WireType => Wire.MessageType.Response;

    internal override IMessage ToWireMessage() => new Wire.Response
    {
        Id = Id,
        Data = UnsafeByteOperations.UnsafeWrap(Data),
        Code = (Wire.ErrorCode)(int)Code,
    };

    internal static Response FromWire(Wire.Response wire) => new()
    {
        Id = wire.Id,
        Data = wire.Data.Memory,
        Code = (ErrorCode)(int)wire.Code,
    };

    public bool Equals(Response? other) =>
        other is not null && Id == other.Id && Code == other.Code && RecordEquality.Bytes(Data.Span, other.Data.Span);

    public override int GetHashCode() => HashCode.Combine(Id, Code, Data.Length);
}
