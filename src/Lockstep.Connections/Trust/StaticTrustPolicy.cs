using System.Collections.Frozen;
using System.Security.Cryptography.X509Certificates;
using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Trust;

/// <summary>A fixed list of configured (and optionally ignored) device IDs: the plain device-ID pinning of Syncthing.</summary>
public sealed class StaticTrustPolicy(IEnumerable<DeviceId> configured, IEnumerable<DeviceId>? ignored = null) : ITrustPolicy
{
    private readonly FrozenSet<DeviceId> _configured = configured.ToFrozenSet();
    private readonly FrozenSet<DeviceId> _ignored = (ignored ?? []).ToFrozenSet();

    public DeviceStanding Classify(DeviceId deviceId, X509Certificate2 certificate) =>
        _configured.Contains(deviceId) ? DeviceStanding.Configured
        : _ignored.Contains(deviceId) ? DeviceStanding.Ignored
        : DeviceStanding.Unknown;
}
