using Lockstep.Connections.Addressing;
using Lockstep.Connections.Errors;
using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Dialing;

/// <summary>One dial of one address in round <see cref="Round"/> (1-based); <see cref="Error"/> is null when it connected.</summary>
public sealed record DialAttempt(DeviceId Device, BepAddress Address, int Round, ConnectionException? Error)
{
    public bool Succeeded => Error is null;
}
