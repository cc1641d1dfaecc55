using System.Collections.Immutable;
using Lockstep.Protocol.Messages;

namespace Lockstep.FileSystem.Scanning;

/// <summary>
/// An item that is new or differs from the index, as read from disk. Files carry their blocks, hashed from
/// a read that started and ended with the same size, mtime and inode (never from a torn read).
/// </summary>
public sealed record ScannedItem(
    string Name, FileInfoType Type, long Size, long ModifiedS, int ModifiedNs, uint Permissions, ulong Inode,
    string SymlinkTarget, int BlockSize, ImmutableArray<BlockInfo> Blocks);
