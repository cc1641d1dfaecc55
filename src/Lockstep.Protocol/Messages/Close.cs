using Google.Protobuf;

namespace Lockstep.Protocol.Messages;

/// <summary>The last message on a connection; Reason is a human string that Syncthing logs as "closed by remote".</summary>
public sealed record Close(string Reason) : BepMessage
{
    internal override Wire.MessageType WireType => Wire.MessageType.Close;

    internal override IMessage ToWireMessage() => new Wire.Close { Reason = Reason };

    internal static Close FromWire(Wire.Close wire) => new(wire.Reason);
}
