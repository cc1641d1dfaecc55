using Lockstep.FileSystem.Scanning;

namespace Lockstep.Sync.Folders;

/// <summary>What one scan recorded: new versions, tombstones, and what it could not index.</summary>
public sealed record ScanSummary(int Changed, int Deleted, long HashedFiles, long HashedBytes, IReadOnlyList<ScanProblem> Problems, TimeSpan Duration);
