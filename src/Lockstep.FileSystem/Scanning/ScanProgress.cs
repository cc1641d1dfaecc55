namespace Lockstep.FileSystem.Scanning;

/// <summary>Counters of one scan: items walked, and files/bytes that needed hashing and are done.</summary>
public sealed record ScanProgress(long Walked, long FilesToHash, long BytesToHash, long FilesHashed, long BytesHashed);
