using Google.Protobuf;

namespace Lockstep.Protocol.Messages;

/// <summary>
/// The answer to a Request with the same Id: the block's bytes, or an error code and no data. Responses may
/// arrive in any order; Syncthing serves requests concurrently.
/// </summary>
/// <remarks>
/// A block's bytes usually live in a pooled <see cref="Blocks.BlockBuffer"/>, named by <see cref="Lease"/>. A
/// Response handed to a connection is released by it once written (or dropped); a Response received from a
/// connection is released by <see cref="Dispose"/> once its bytes have been used. Data is invalid after either.
/// A Response without a lease owns nothing, and disposing it does nothing.
/// </remarks>
public sealed record Response : BepMessage, IDisposable
{
    public int Id { get; init; }
    /// <summary>The block's bytes. Not copied on the way out: do not reuse the buffer until the message is written.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }
    public ErrorCode Code { get; init; }

    /// <summary>What holds <see cref="Data"/>'s buffer, if it is pooled; copies made with <c>with</c> share it.</summary>
    public IDisposable? Lease { get; init; }

    /// <summary>Returns the pooled buffer behind <see cref="Data"/> (if any); Data must not be read afterwards.</summary>
    public void Dispose() => Lease?.Dispose();

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
