using Lockstep.Protocol.Messages;

namespace Lockstep.Index;

/// <summary>
/// A local entry without its version vector and block list: what a rescan compares against the disk.
/// Small enough that a folder of 100,000 entries streams in well under a second.
/// </summary>
public sealed record LocalFileMeta(
    string Name,
    FileInfoType Type,
    long Size,
    long ModifiedS,
    int ModifiedNs,
    uint Permissions,
    bool NoPermissions,
    bool Deleted,
    bool Invalid,
    ulong Inode,
    string SymlinkTarget,
    long Sequence,
    int BlockSize);
