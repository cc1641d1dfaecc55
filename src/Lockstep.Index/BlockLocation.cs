namespace Lockstep.Index;

/// <summary>Where a block sits in a local file: the file's folder-relative name, the byte offset and the length.</summary>
public readonly record struct BlockLocation(string Name, long Offset, int Size);
