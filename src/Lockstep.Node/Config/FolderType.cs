namespace Lockstep.Node.Config;

/// <summary>
/// How a folder takes part in syncing. The YAML spellings are Syncthing's:
/// <c>sendreceive</c>, <c>sendonly</c>, <c>receiveonly</c>, plus Lockstep's <c>observe</c>.
/// </summary>
public enum FolderType
{
    /// <summary>Sends local changes and applies remote ones (the default).</summary>
    SendReceive,

    /// <summary>Sends local changes; never applies remote ones.</summary>
    SendOnly,

    /// <summary>Applies remote changes; local changes are not sent.</summary>
    ReceiveOnly,

    /// <summary>Indexes and announces the folder as invalid, so nobody pulls from it; never writes into it.</summary>
    Observe,
}
