using System.Collections.Immutable;
using Lockstep.Index;
using Lockstep.Node.Config;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;

namespace Lockstep.Node.Peers;

/// <summary>
/// Our ClusterConfig for one peer (bep-v1.md §5.2): every folder we share with it, each listing every device
/// that shares it — us with our index ID and max sequence, the peer with the index ID and max sequence we hold
/// of its index (so it can send only the delta) — and temp indexes off (we send no DownloadProgress).
/// </summary>
internal static class ClusterConfigFactory
{
    public static ClusterConfig For(NodeConfig config, DeviceId me, DeviceId remote, IndexDatabase index)
    {
        var folders = ImmutableArray.CreateBuilder<FolderAnnouncement>();
        foreach (var folder in config.Folders.Where(f => f.Devices.Contains(remote)))
        {
            var folderIndex = index.Folder(folder.Id);
            var devices = ImmutableArray.CreateBuilder<DeviceAnnouncement>();
            devices.Add(new DeviceAnnouncement
            {
                Id = me,
                Name = config.Name,
                IndexId = folderIndex.IndexId,
                MaxSequence = folderIndex.MaxSequence,
            });
            foreach (var id in folder.Devices.Where(d => d != me))
            {
                var device = config.Devices.FirstOrDefault(d => d.Id == id);
                var (remoteIndexId, remoteMax) = folderIndex.GetRemoteState(id);
                devices.Add(new DeviceAnnouncement
                {
                    Id = id,
                    Name = device?.Name ?? "",
                    Addresses = device is null ? [] : device.Addresses.IsDefaultOrEmpty ? ["dynamic"] : device.Addresses,
                    Compression = ToWire(device?.Compression ?? Compression.Metadata),
                    Introducer = device?.Introducer ?? false,
                    IndexId = remoteIndexId,
                    MaxSequence = remoteIndexId == 0 ? 0 : remoteMax,
                });
            }
            folders.Add(new FolderAnnouncement
            {
                Id = folder.Id,
                Label = folder.Label,
                ReadOnly = folder.Type == FolderType.SendOnly,
                IgnorePermissions = folder.IgnorePerms,
                DisableTempIndexes = true,
                Devices = devices.ToImmutable(),
            });
        }
        return new ClusterConfig { Folders = folders.ToImmutable() };
    }

    public static CompressionMode ToWire(Compression compression) => compression switch
    {
        Compression.Never => CompressionMode.Never,
        Compression.Always => CompressionMode.Always,
        _ => CompressionMode.Metadata,
    };
}
