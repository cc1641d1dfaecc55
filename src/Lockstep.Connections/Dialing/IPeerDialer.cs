using Lockstep.Connections.Addressing;
using Lockstep.Connections.Tls;
using Lockstep.Protocol.Identity;

namespace Lockstep.Connections.Dialing;

/// <summary>What <see cref="DialLoop"/> needs: one dial attempt. Failures are <see cref="Errors.ConnectionException"/>s.</summary>
public interface IPeerDialer
{
    Task<SecureConnection> ConnectAsync(DeviceId expected, BepAddress address, CancellationToken cancellationToken = default);
}
