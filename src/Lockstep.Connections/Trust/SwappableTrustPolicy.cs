using System.Security.Cryptography.X509Certificates;
using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Trust;

/// <summary>A trust policy that can be replaced while listening (a device added by an introducer, or by a person through the API).</summary>
public sealed class SwappableTrustPolicy(ITrustPolicy initial) : ITrustPolicy
{
    private volatile ITrustPolicy _current = initial;

    public void Swap(ITrustPolicy next) => _current = next;

    public DeviceStanding Classify(DeviceId deviceId, X509Certificate2 certificate) => _current.Classify(deviceId, certificate);
}
