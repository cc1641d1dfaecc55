namespace Lockstep.Index;

/// <summary>What went wrong in an <see cref="IndexException"/>.</summary>
public enum IndexError
{
    /// <summary>The database file could not be opened or configured (path, permissions, no WAL support).</summary>
    OpenFailed,

    /// <summary>The file holds a schema version newer than this build understands; it was written by a newer Lockstep.</summary>
    NewerSchema,

    /// <summary>The file is an SQLite database, but not a Lockstep index.</summary>
    NotAnIndex,

    /// <summary>Creating or upgrading the schema failed; the file is left at its previous version.</summary>
    MigrationFailed,

    /// <summary>The folder was dropped after this <see cref="FolderIndex"/> was obtained.</summary>
    FolderDropped,

    /// <summary>A stored value does not decode (a damaged or hand-edited file).</summary>
    CorruptData,
}
