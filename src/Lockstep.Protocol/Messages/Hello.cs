namespace Lockstep.Protocol.Messages;

/// <summary>
/// The pre-auth Hello each side sends right after TLS (bep-v1.md §2). Syncthing sends its DeviceName only
/// to devices it already knows; it shows our ClientName and ClientVersion as "clientVersion".
/// </summary>
public sealed record Hello(string DeviceName, string ClientName, string ClientVersion)
{
    internal Wire.Hello ToWire() => new()
    {
        DeviceName = DeviceName,
        ClientName = ClientName,
        ClientVersion = ClientVersion,
    };

    internal static Hello FromWire(Wire.Hello wire) => new(wire.DeviceName, wire.ClientName, wire.ClientVersion);
}
