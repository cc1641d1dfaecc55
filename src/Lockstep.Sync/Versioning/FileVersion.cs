namespace Lockstep.Sync.Versioning;

/// <summary>One kept copy of a file: the name it had in the folder, when it was replaced, its size and mtime.</summary>
public sealed record FileVersion(string Name, DateTimeOffset VersionTime, DateTimeOffset ModTime, long Size, string StoredAs);
