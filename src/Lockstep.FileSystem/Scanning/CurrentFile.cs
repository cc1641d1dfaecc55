using Lockstep.Protocol.Messages;

namespace Lockstep.FileSystem.Scanning;

/// <summary>What the index last recorded for a name: enough to decide whether the disk item changed.</summary>
public readonly record struct CurrentFile(
    FileInfoType Type, long Size, long ModifiedS, int ModifiedNs, uint Permissions, ulong Inode,
    bool Deleted, bool Invalid, string SymlinkTarget, int BlockSize);

/// <summary>The scanner's view of the index, declared here because the scanner consumes it (STYLE rule 2).</summary>
public interface ICurrentFiler
{
    bool TryGet(string name, out CurrentFile current);
}
