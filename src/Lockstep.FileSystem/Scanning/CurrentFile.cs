using Lockstep.Protocol.Messages;

namespace Lockstep.FileSystem.Scanning;

/// <summary>What the index last recorded for a name: enough to decide whether the disk item changed.</summary>
public readonly record struct CurrentFile(
    FileInfoType Type, long Size, long ModifiedS, int ModifiedNs, uint Permissions, ulong Inode,
    bool Deleted, bool Invalid, string SymlinkTarget, int BlockSize);

/// <summary>The scanner's view of the index, declared here because the scanner consumes it (STYLE rule 2).</summary>
public interface ICurrentFiler
{
    /// <summary>
    /// What the index holds for a name. The scanner asks once for every name it walks (and for no excluded
    /// name), so an implementation may treat a lookup as "seen on disk".
    /// </summary>
    bool TryGet(string name, out CurrentFile current);
}
