namespace Lockstep.Protocol.Messages;

/// <summary>The outcome of a Request (bep-v1.md §5.8); the values are the wire values.</summary>
public enum ErrorCode
{
    /// <summary>The data is the requested block.</summary>
    NoError = 0,

    /// <summary>Folder unknown, paused or not shared; unclean name; read error.</summary>
    Generic = 1,

    /// <summary>File missing, not a regular file, behind a symlink, or its data does not match the hash.</summary>
    NoSuchFile = 2,

    /// <summary>Negative size or offset, ignored file, or an internal name (.stfolder, .stignore, .stversions).</summary>
    InvalidFile = 3,
}
