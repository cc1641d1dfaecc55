namespace Lockstep.Index;

/// <summary>Every <see cref="IndexException"/> is built here, so the messages read alike.</summary>
internal static class IndexErrors
{
    public static IndexException OpenFailed(string path, string why, Exception? inner = null) =>
        new(IndexError.OpenFailed, path, $"cannot open the index database '{path}': {why}", inner);

    public static IndexException NewerSchema(string path, long found, int known) =>
        new(IndexError.NewerSchema, path,
            $"the index database '{path}' has schema version {found}, but this build of Lockstep knows versions " +
            $"up to {known}: it was written by a newer Lockstep. Run that version, or move the file away to " +
            "rebuild the index from a rescan.");

    public static IndexException NotAnIndex(string path, string why) =>
        new(IndexError.NotAnIndex, path, $"'{path}' is not a Lockstep index database: {why}");

    public static IndexException MigrationFailed(string path, long from, int to, string script, Exception inner) =>
        new(IndexError.MigrationFailed, path,
            $"upgrading the index database '{path}' from schema version {from} to {to} failed in {script}: " +
            $"{inner.Message}. The file is unchanged at version {from}.", inner);

    public static IndexException FolderDropped(string path, string folderId) =>
        new(IndexError.FolderDropped, path,
            $"folder '{folderId}' was dropped from the index database '{path}'; get a new FolderIndex from IndexDatabase.Folder");

    public static IndexException CorruptData(string path, string what, string why) =>
        new(IndexError.CorruptData, path, $"the index database '{path}' holds a damaged {what}: {why}");
}
