using System.Security.Cryptography.X509Certificates;
using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Trust;

/// <summary>
/// Decides whether a device whose certificate checked out may connect. Declared here, where it is used, and kept to
/// one method: the node implements it over its config (device-ID pinning), a cluster-CA policy over the certificate.
/// Called once per handshake from the accept or dial path, possibly concurrently, so implementations must be thread-safe.
/// </summary>
public interface ITrustPolicy
{
    DeviceStanding Classify(DeviceId deviceId, X509Certificate2 certificate);
}
