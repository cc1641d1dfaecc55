using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Trust;

/// <summary>
/// A device that tried to connect but is not configured (Syncthing's <c>/rest/cluster/pending/devices</c>).
/// <see cref="Address"/> is where it last connected from, as <c>IP:PORT</c>.
/// </summary>
public sealed record PendingDevice(DeviceId DeviceId, string Address, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, int Count);
