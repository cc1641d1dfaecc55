using System.Collections.Immutable;
using Lockstep.Index;
using Lockstep.Protocol.Connection;
using Lockstep.Protocol.Messages;
using Lockstep.Sync.Exchange;

namespace Lockstep.Node.Peers;

/// <summary>
/// Streams one folder's local index to one peer: first what the peer lacks (a delta when it holds our index
/// ID, else everything with an Index first), then every later local change as IndexUpdates. One loop per
/// folder and peer, woken by the folder runner's commits; it always sends LocalSince(last sent), so a change
/// committed while a batch was going out is never missed.
/// </summary>
internal sealed class FolderSender : IAsyncDisposable
{
    private readonly FolderIndex _index;
    private readonly PeerConnection _connection;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FolderSender(FolderIndex index, PeerConnection connection, ulong peerIndexId, long peerMaxSequence)
    {
        _index = index;
        _connection = connection;
        bool delta = IndexBatcher.CanSendDelta(index, peerIndexId, peerMaxSequence);
        StartsWithDelta = delta;
        _loop = Task.Run(() => RunAsync(delta ? peerMaxSequence : 0, firstIsIndex: !delta, _stop.Token));
    }

    /// <summary>Whether the peer holds our index (same index ID), so it gets only what came after its max sequence.</summary>
    public bool StartsWithDelta { get; }

    /// <summary>The highest sequence handed to the connection.</summary>
    public long SentSequence { get; private set; }

    /// <summary>New local versions were committed: send them.</summary>
    public void Wake() => _wake.Release();

    private async Task RunAsync(long after, bool firstIsIndex, CancellationToken cancellationToken)
    {
        SentSequence = after;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                foreach (var batch in IndexBatcher.Batch(_index.FolderId, _index.LocalSince(SentSequence), firstIsIndex))
                {
                    var files = batch.Files.ToImmutableArray();
                    _connection.Send(batch.IsIndex ? IndexMessage.Full(batch.FolderId, files) : IndexMessage.Update(batch.FolderId, files));
                    SentSequence = files[^1].Sequence;
                    firstIsIndex = false;
                }
                firstIsIndex = false;
                await _wake.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
            // The connection closed; the session ends this sender.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop.ConfigureAwait(false);
    }
}
