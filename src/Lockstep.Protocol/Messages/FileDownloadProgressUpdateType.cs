namespace Lockstep.Protocol.Messages;

/// <summary>What a DownloadProgress update does; the values are the wire values.</summary>
public enum FileDownloadProgressUpdateType
{
    /// <summary>These block indexes of the temp file are now available.</summary>
    Append = 0,

    /// <summary>Drop the file (no indexes).</summary>
    Forget = 1,
}
