using Lockstep.Protocol.Messages;

namespace Lockstep.Protocol.Connection;

/// <summary>
/// Everything a peer sends arrives through this one interface (STYLE "let everything inbound arrive through one
/// interface"). The connection has already enforced "ClusterConfig first" and validated names, sizes and
/// FileInfo rules. ClusterConfig, Index and DownloadProgress are delivered one at a time, in order; Requests
/// are served concurrently, and each must be answered (the connection answers Generic if the handler throws).
/// </summary>
public interface IPeerMessageHandler
{
    ValueTask OnClusterConfigAsync(PeerConnection connection, ClusterConfig config, CancellationToken cancellationToken);

    ValueTask OnIndexAsync(PeerConnection connection, IndexMessage index, CancellationToken cancellationToken);

    /// <summary>The answer to a Request; its Id is set by the connection.</summary>
    ValueTask<Response> OnRequestAsync(PeerConnection connection, Request request, CancellationToken cancellationToken);

    ValueTask OnDownloadProgressAsync(PeerConnection connection, DownloadProgress progress, CancellationToken cancellationToken);

    /// <summary>Called once, when the connection is closed for any reason.</summary>
    void OnClosed(PeerConnection connection, string reason);
}
