using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;

namespace Lockstep.Sync.Pulling;

/// <summary>How a puller reaches the peers: implemented by the node over its live BEP connections.</summary>
public interface IBlockRequester
{
    /// <summary>Whether a connection to the device is up right now.</summary>
    bool IsConnected(DeviceId device);

    /// <summary>
    /// Sends a Request to the device and returns its Response (the caller disposes it). Throws
    /// <see cref="IOException"/> when the device is not connected or the connection ends before the answer.
    /// </summary>
    Task<Response> RequestAsync(DeviceId device, Request request, CancellationToken cancellationToken);
}
