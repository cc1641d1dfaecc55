using Lockstep.FileSystem.Names;
using Lockstep.Index;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;

namespace Lockstep.Sync.Exchange;

/// <summary>
/// Records what a peer announces for one folder (bep-v1.md §5.3): an Index replaces everything the device had
/// announced, an IndexUpdate adds or replaces the listed files, and a new index ID in its ClusterConfig means its
/// numbering restarted, so what we hold of it is dropped until it sends everything again.
/// </summary>
public sealed class IndexReceiver
{
    private readonly FolderIndex _index;

    public IndexReceiver(FolderIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        _index = index;
    }

    /// <summary>
    /// Applies an Index or IndexUpdate from <paramref name="device"/> in one transaction.
    /// </summary>
    /// <exception cref="ExchangeException">
    /// The message is for another folder, or names a file invalidly. Names were checked when the message
    /// arrived; this is the last line before the index, so the whole message is refused and nothing is written.
    /// </exception>
    public IndexReceipt Apply(DeviceId device, IndexMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Folder != _index.FolderId)
            throw ExchangeErrors.WrongFolder(device, _index.FolderId, message.Folder);
        var files = message.Files.IsDefault ? [] : message.Files;
        foreach (var file in files)
        {
            if (NameRules.Validate(file.Name) is { } reason)
                throw ExchangeErrors.InvalidName(device, _index.FolderId, file.Name, reason);
        }

        if (message.IsUpdate)
            _index.UpdateRemote(device, files);
        else
            _index.ReplaceRemote(device, files);
        return new IndexReceipt(files.Length, _index.GetRemoteState(device).MaxSequence);
    }

    /// <summary>
    /// Takes the index ID <paramref name="device"/> announced for itself in its ClusterConfig. When it differs from
    /// the one stored, the device's files and max sequence are dropped (it will send its index from the start)
    /// and the new ID is stored. Returns whether that happened.
    /// </summary>
    public bool ApplyClusterConfigState(DeviceId device, ulong announcedIndexId)
    {
        // Read-then-write is not one transaction, but each connection applies its peer's messages from one loop;
        // SetRemoteIndexId itself compares inside its transaction, so the stored state is right either way.
        if (_index.GetRemoteState(device).IndexId == announcedIndexId)
            return false;
        _index.SetRemoteIndexId(device, announcedIndexId);
        return true;
    }
}
