namespace Lockstep.Index.Queries;

/// <summary>Statements on the folders table (20-folders.sql).</summary>
internal static class FolderQueries
{
    public const string Insert =
        "INSERT INTO folders (folder_id, index_id) VALUES ($folder_id, $index_id) ON CONFLICT (folder_id) DO NOTHING";

    public const string IdxById = "SELECT idx FROM folders WHERE folder_id = $folder_id";

    public const string Ids = "SELECT folder_id FROM folders ORDER BY folder_id";

    /// <summary>Cascades to local files, block lookups and remote state (see the schema's foreign keys).</summary>
    public const string Delete = "DELETE FROM folders WHERE folder_id = $folder_id";

    public const string State = "SELECT index_id, max_sequence FROM folders WHERE idx = $folder";

    public const string SetIndexId = "UPDATE folders SET index_id = $index_id WHERE idx = $folder";

    public const string SetMaxSequence = "UPDATE folders SET max_sequence = $max_sequence WHERE idx = $folder";
}
