using Lockstep.Protocol.Identity;

namespace Lockstep.Node.Config;

// The edits the CLI's `device` and `folder` commands make. Each returns a new, validated configuration,
// so a bad edit fails before anything is written and the file never holds a half-valid state.
public sealed partial record NodeConfig
{
    /// <summary>Adds <paramref name="device"/>, or replaces the device with the same ID in place.</summary>
    /// <exception cref="ConfigException">The result is not valid (e.g. a malformed address).</exception>
    public NodeConfig WithDevice(DeviceConfig device)
    {
        var index = IndexOfDevice(device.Id);
        return Validated(this with { Devices = index >= 0 ? Devices.SetItem(index, device) : Devices.Add(device) });
    }

    /// <summary>Removes the device and stops sharing every folder with it.</summary>
    /// <exception cref="ConfigException">No device has that ID.</exception>
    public NodeConfig WithoutDevice(DeviceId id)
    {
        var index = IndexOfDevice(id);
        if (index < 0)
            throw ConfigErrors.NoSuchDevice(id.ToString(), Devices.Select(d => d.Id.ToString()));
        var folders = Folders.Select(f => f.Devices.Contains(id) ? f with { Devices = f.Devices.Remove(id) } : f);
        return Validated(this with { Devices = Devices.RemoveAt(index), Folders = [.. folders] });
    }

    /// <summary>Adds <paramref name="folder"/>, or replaces the folder with the same ID in place.</summary>
    /// <exception cref="ConfigException">The result is not valid (relative or overlapping path, unknown device, ...).</exception>
    public NodeConfig WithFolder(FolderConfig folder)
    {
        var index = IndexOfFolder(folder.Id);
        return Validated(this with { Folders = index >= 0 ? Folders.SetItem(index, folder) : Folders.Add(folder) });
    }

    /// <summary>Removes the folder with that ID (the files on disk are left alone).</summary>
    /// <exception cref="ConfigException">No folder has that ID.</exception>
    public NodeConfig WithoutFolder(string id)
    {
        var index = IndexOfFolder(id);
        if (index < 0)
            throw ConfigErrors.NoSuchFolder(id, Folders.Select(f => f.Id));
        return Validated(this with { Folders = Folders.RemoveAt(index) });
    }

    /// <summary>Shares the folder with the device; sharing it again changes nothing.</summary>
    /// <exception cref="ConfigException">The folder or the device is not configured.</exception>
    public NodeConfig ShareFolder(string folderId, DeviceId device)
    {
        var index = IndexOfFolder(folderId);
        if (index < 0)
            throw ConfigErrors.NoSuchFolder(folderId, Folders.Select(f => f.Id));
        if (IndexOfDevice(device) < 0)
            throw ConfigErrors.NoSuchDevice(device.ToString(), Devices.Select(d => d.Id.ToString()));
        var folder = Folders[index];
        if (folder.Devices.Contains(device))
            return this;
        return Validated(this with { Folders = Folders.SetItem(index, folder with { Devices = folder.Devices.Add(device) }) });
    }

    private int IndexOfDevice(DeviceId id)
    {
        for (int i = 0; i < Devices.Length; i++)
            if (Devices[i].Id == id)
                return i;
        return -1;
    }

    // Folder IDs are case-sensitive, as in Syncthing: "Photos" and "photos" are different folders.
    private int IndexOfFolder(string id)
    {
        for (int i = 0; i < Folders.Length; i++)
            if (string.Equals(Folders[i].Id, id, StringComparison.Ordinal))
                return i;
        return -1;
    }

    private static NodeConfig Validated(NodeConfig config)
    {
        config.Validate();
        return config;
    }
}
