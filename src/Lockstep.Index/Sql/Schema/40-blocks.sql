-- local_blocks: where a block with a given SHA-256 sits in this node's local files, so the puller can
-- copy it instead of requesting it from a peer.
--
-- Keyed by hash first so one probe answers "who has this block"; the folder comes from the file row,
-- which lets a later cross-folder lookup use the same table.
--
-- Invariants:
--   Mirrors local_files.blocks exactly, for rows that are regular files and not deleted: committing a
--     file replaces all of its rows here (the trigger below drops the old ones, CommitLocal inserts the
--     new list's), a tombstone (or a file turned into a directory or symlink) leaves none, and deleting
--     the file row cascades.
--   A hit is a hint, not a promise: the bytes on disk may have changed since the last scan, so the
--     puller verifies every copied block against its hash.
CREATE TABLE IF NOT EXISTS local_blocks (
    hash         BLOB    NOT NULL,
    file_id      INTEGER NOT NULL REFERENCES local_files (id) ON DELETE CASCADE,
    block_offset INTEGER NOT NULL,
    size         INTEGER NOT NULL,
    PRIMARY KEY (hash, file_id, block_offset)
) STRICT, WITHOUT ROWID;

-- Replacing or deleting one file's blocks (and the foreign-key cascade) finds them by file.
CREATE INDEX IF NOT EXISTS local_blocks_file ON local_blocks (file_id);

-- Rewriting a file's blocks, type or deleted flag drops its lookup rows inside the database, so no code
-- path that rewrites a row can leave stale hits behind, and a newly inserted file (no UPDATE) costs no
-- delete at all. Metadata-only updates (the inode) leave the rows alone.
CREATE TRIGGER IF NOT EXISTS local_blocks_forget AFTER UPDATE OF blocks, type, deleted ON local_files
BEGIN
    DELETE FROM local_blocks WHERE file_id = old.id;
END;
