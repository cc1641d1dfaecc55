namespace Lockstep.FileSystem.Scanning;

public enum ScanProblemKind
{
    /// <summary>Permission denied or an I/O error: reported, left as the index has it.</summary>
    Unreadable,
    /// <summary>The name is not valid UTF-8 and cannot be indexed.</summary>
    InvalidName,
    /// <summary>Changed or vanished while it was hashed: scanned again later.</summary>
    ChangedWhileHashing,
    /// <summary>Two names on disk normalise to the same NFC name; only one can be indexed.</summary>
    NormalizationClash,
}

/// <summary>Something the scan could not index, with the folder-relative name and a message a person can act on.</summary>
public sealed record ScanProblem(string Name, ScanProblemKind Kind, string Message);
