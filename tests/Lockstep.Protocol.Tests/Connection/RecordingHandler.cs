using System.Threading.Channels;
using Lockstep.Protocol.Connection;
using Lockstep.Protocol.Messages;

namespace Lockstep.Protocol.Tests.Connection;

/// <summary>Records what a connection delivers, in order; answers Requests with a test-supplied function.</summary>
internal sealed class RecordingHandler : IPeerMessageHandler
{
    public Channel<BepMessage> Received { get; } = Channel.CreateUnbounded<BepMessage>();
    public TaskCompletionSource<string> ClosedWith { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public Func<Request, Task<Response>> Respond { get; set; } = r => Task.FromResult(new Response { Data = new byte[r.Size] });

    public ValueTask OnClusterConfigAsync(PeerConnection connection, ClusterConfig config, CancellationToken cancellationToken) =>
        Received.Writer.WriteAsync(config, cancellationToken);

    public ValueTask OnIndexAsync(PeerConnection connection, IndexMessage index, CancellationToken cancellationToken) =>
        Received.Writer.WriteAsync(index, cancellationToken);

    public async ValueTask<Response> OnRequestAsync(PeerConnection connection, Request request, CancellationToken cancellationToken) =>
        await Respond(request);

    public ValueTask OnDownloadProgressAsync(PeerConnection connection, DownloadProgress progress, CancellationToken cancellationToken) =>
        Received.Writer.WriteAsync(progress, cancellationToken);

    public void OnClosed(PeerConnection connection, string reason) => ClosedWith.TrySetResult(reason);

    public async Task<T> NextAsync<T>() where T : BepMessage
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var m = await Received.Reader.ReadAsync(timeout.Token);
        return Assert.IsType<T>(m);
    }
}
