using Lockstep.Protocol.Messages;

namespace Lockstep.Index;

/// <summary>
/// A local change to commit: the FileInfo to announce (its Sequence is ignored; the index assigns one)
/// and the local-only inode that the scanner compares next time (0 = unknown).
/// </summary>
public sealed record LocalFile(FileInfo Info, ulong Inode);
