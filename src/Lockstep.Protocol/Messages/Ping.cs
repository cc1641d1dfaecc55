using Google.Protobuf;

namespace Lockstep.Protocol.Messages;

/// <summary>Keeps the connection alive; an empty body (frame <c>00 02 08 06 00 00 00 00</c>).</summary>
public sealed record Ping : BepMessage
{
    public static Ping Instance { get; } = new();

    internal override Wire.MessageType WireType => Wire.MessageType.Ping;

    internal override IMessage ToWireMessage() => new Wire.Ping();
}
