using Lockstep.Index;
using Lockstep.Node.Config;
using Lockstep.Node.Logging;
using Lockstep.Protocol;
using Lockstep.Protocol.Connection;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;
using Lockstep.Sync.Exchange;
using Lockstep.Sync.Folders;
using Microsoft.Extensions.Logging;

namespace Lockstep.Node.Peers;

/// <summary>
/// The model side of one connection: which folders are shared (in both ClusterConfigs), our index going out,
/// theirs coming in, and their Requests served from disk. Everything it is handed was validated at the
/// connection boundary; what it checks here is what only the configuration knows.
/// </summary>
internal sealed class PeerSession : IPeerMessageHandler
{
    private readonly NodeConfig _config;
    private readonly DeviceId _me;
    private readonly IndexDatabase _index;
    private readonly IReadOnlyDictionary<string, FolderRunner> _runners;
    private readonly ILogger _log;
    private readonly Dictionary<string, FolderSender> _senders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RequestServer> _servers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Action<IReadOnlyList<Lockstep.Protocol.Messages.FileInfo>>> _subscriptions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private volatile HashSet<string> _active = new(StringComparer.Ordinal);

    public PeerSession(NodeConfig config, DeviceId me, DeviceId remote, IndexDatabase index,
        IReadOnlyDictionary<string, FolderRunner> runners, ILogger log)
    {
        _config = config;
        _me = me;
        Remote = remote;
        _index = index;
        _runners = runners;
        _log = log;
    }

    public DeviceId Remote { get; }

    /// <summary>Applies what an introducer taught us to the node's current config (see <see cref="PeerManager.Introduce"/>).</summary>
    public Func<Func<NodeConfig, NodeConfig?>, NodeConfig?>? Introduce { get; init; }

    /// <summary>Where RemoteIndexUpdated events go.</summary>
    public Lockstep.Node.Events.EventLog? Events { get; init; }

    /// <summary>Folders shared in both directions on this connection.</summary>
    public IReadOnlyCollection<string> ActiveFolders => _active;

    public ValueTask OnClusterConfigAsync(PeerConnection connection, ClusterConfig config, CancellationToken cancellationToken)
    {
        if (Introduce is not null && _config.Devices.Any(d => d.Id == Remote && d.Introducer))
        {
            var remote = Remote;
            if (Introduce(current => Introductions.Apply(current, _me, remote, config)) is { } introduced)
                NodeLog.Introduced(_log, Remote.ToString(), string.Join(",", introduced.Devices.Select(d => d.Id.Short.ToString())));
        }
        var active = new HashSet<string>(StringComparer.Ordinal);
        foreach (var announced in config.Folders)
        {
            var ours = _config.Folders.FirstOrDefault(f => f.Id == announced.Id);
            if (ours is null || !ours.Devices.Contains(Remote))
            {
                NodeLog.FolderNotShared(_log, Remote.ToString(), announced.Id);
                continue; // offered but not shared with them here: a pending folder for a person to accept
            }
            if (announced.Paused)
                continue;
            var theirs = announced.Devices.FirstOrDefault(d => d.Id == Remote);
            var mine = announced.Devices.FirstOrDefault(d => d.Id == _me);
            if (theirs is null || mine is null)
                throw new ProtocolException(ProtocolError.Malformed,
                    $"cluster config for folder {announced.Id} lacks {(theirs is null ? "the remote" : "the local")} device");
            active.Add(announced.Id);
            var folderIndex = _index.Folder(announced.Id);
            new IndexReceiver(folderIndex).ApplyClusterConfigState(Remote, theirs.IndexId);
            lock (_lock)
            {
                if (!_senders.ContainsKey(announced.Id))
                    StartSending(connection, ours, folderIndex, mine);
            }
        }
        _active = active;
        foreach (var folder in active)
            if (_runners.TryGetValue(folder, out var runner))
                runner.RequestPull(); // a device that is back may hold what we miss
        NodeLog.ClusterConfigReceived(_log, Remote.ToString(), string.Join(",", config.Folders.Select(f => f.Id)), string.Join(",", active));
        return ValueTask.CompletedTask;
    }

    private void StartSending(PeerConnection connection, FolderConfig folder, FolderIndex folderIndex, DeviceAnnouncement mine)
    {
        var sender = new FolderSender(folderIndex, connection, mine.IndexId, mine.MaxSequence);
        NodeLog.SendingIndex(_log, Remote.ToString(), folder.Id, sender.StartsWithDelta ? "the delta" : "everything", mine.IndexId, mine.MaxSequence,
            folderIndex.IndexId, folderIndex.MaxSequence);
        _senders[folder.Id] = sender;
        if (_runners.TryGetValue(folder.Id, out var runner))
        {
            Action<IReadOnlyList<Lockstep.Protocol.Messages.FileInfo>> wake = _ => sender.Wake();
            runner.LocalIndexUpdated += wake;
            _subscriptions[folder.Id] = wake;
            _servers[folder.Id] = new RequestServer(folder.Path, folderIndex, () => runner.Ignores, runner.ForceRescan);
        }
    }

    public ValueTask OnIndexAsync(PeerConnection connection, IndexMessage index, CancellationToken cancellationToken)
    {
        // As Syncthing: an index for a folder that is not shared with this device on this connection is a violation.
        if (!_active.Contains(index.Folder))
            throw new ProtocolException(ProtocolError.Malformed, $"handling index for {index.Folder}: {index.Folder}: no such folder");
        var receipt = new IndexReceiver(_index.Folder(index.Folder)).Apply(Remote, index);
        NodeLog.RemoteIndexUpdated(_log, Remote.ToString(), index.Folder, index.Files.Length, index.IsUpdate);
        Events?.Publish("RemoteIndexUpdated", new Lockstep.Contracts.Rest.RemoteIndexUpdatedData(Remote.ToString(), index.Folder, receipt.Files,
            receipt.MaxSequence, receipt.MaxSequence), Lockstep.Contracts.ContractsJsonContext.Default.RemoteIndexUpdatedData);
        if (_runners.TryGetValue(index.Folder, out var runner))
        {
            if (index.IsUpdate)
                runner.RequestPull(index.Files.Select(f => f.Name)); // just what changed
            else
                runner.RequestPull(); // a full index: everything may have changed
        }
        return ValueTask.CompletedTask;
    }

    public async ValueTask<Response> OnRequestAsync(PeerConnection connection, Request request, CancellationToken cancellationToken)
    {
        RequestServer? server;
        lock (_lock)
            _servers.TryGetValue(request.Folder, out server);
        if (server is null || !_active.Contains(request.Folder))
            return new Response { Code = ErrorCode.Generic }; // unknown, unshared or not started: Syncthing's code
        return await server.ServeAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask OnDownloadProgressAsync(PeerConnection connection, DownloadProgress progress, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask; // we announce disable_temp_indexes; a peer that sends them anyway is ignored

    public void OnClosed(PeerConnection connection, string reason)
    {
        List<FolderSender> senders;
        lock (_lock)
        {
            foreach (var (folder, wake) in _subscriptions)
                if (_runners.TryGetValue(folder, out var runner))
                    runner.LocalIndexUpdated -= wake;
            _subscriptions.Clear();
            senders = _senders.Values.ToList();
            _senders.Clear();
            _servers.Clear();
        }
        foreach (var sender in senders)
            _ = sender.DisposeAsync().AsTask();
    }
}
