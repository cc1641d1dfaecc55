using System.Collections.Immutable;
using Lockstep.Node.Config;
using Lockstep.Protocol.Identity;
using Lockstep.Protocol.Messages;

namespace Lockstep.Node.Peers;

/// <summary>
/// What an introducer's ClusterConfig teaches us (Syncthing's introducer): every device it shares a common folder
/// with becomes one of our devices (named and addressed as the introducer announces it) and that folder is shared
/// with it. Pure: returns the new configuration, or null when there is nothing new.
/// </summary>
public static class Introductions
{
    public static NodeConfig? Apply(NodeConfig ours, DeviceId me, DeviceId introducer, ClusterConfig theirs)
    {
        if (ours.Devices.FirstOrDefault(d => d.Id == introducer) is not { Introducer: true })
            return null;
        var config = ours;
        bool changed = false;
        foreach (var announced in theirs.Folders)
        {
            var folder = config.Folders.FirstOrDefault(f => f.Id == announced.Id);
            if (folder is null || !folder.Devices.Contains(introducer))
                continue; // only folders we share with the introducer
            foreach (var device in announced.Devices)
            {
                if (device.Id == me || device.Id == introducer)
                    continue;
                if (config.Devices.All(d => d.Id != device.Id))
                {
                    var addresses = device.Addresses.IsDefaultOrEmpty ? ImmutableArray.Create("dynamic")
                        : [.. device.Addresses.Where(a => a == "dynamic" || a.StartsWith("tcp://", StringComparison.Ordinal))];
                    config = config.WithDevice(new DeviceConfig
                    {
                        Id = device.Id,
                        Name = device.Name,
                        Addresses = addresses.IsEmpty ? ["dynamic"] : addresses,
                        Compression = Compression.Metadata,
                    });
                    changed = true;
                }
                folder = config.Folders.First(f => f.Id == announced.Id);
                if (!folder.Devices.Contains(device.Id))
                {
                    config = config.WithFolder(folder with { Devices = folder.Devices.Add(device.Id) });
                    changed = true;
                }
            }
        }
        return changed ? config : null;
    }
}
