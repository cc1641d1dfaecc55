namespace Lockstep.Protocol.Messages;

/// <summary>BEP FileInfoType; the values are the wire values.</summary>
public enum FileInfoType
{
    File = 0,
    Directory = 1,
    SymlinkFile = 2,
    SymlinkDirectory = 3,
    Symlink = 4,
}
