-- folders: one row per folder this node indexes, created on first use (IndexDatabase.Folder).
--
-- idx is the compact key every other table uses. AUTOINCREMENT so an idx is never handed out again:
-- a FolderIndex still held after DropFolder can then never read or write a later folder that happens to
-- reuse the same folder_id.
--
-- Invariants:
--   folder_id is the user-visible ID, compared byte-wise (BINARY), unique.
--   index_id <> 0: a random 64-bit ID (the unsigned value stored as its two's-complement INTEGER).
--     It changes only when this folder's sequence numbering restarts, telling peers to drop what they
--     hold of our index and fetch it again from sequence 0.
--   max_sequence is the highest local sequence ever assigned in this folder. It never decreases and
--     every local_files.sequence of the folder is <= it, so no sequence is handed out twice, even after
--     the row that carried it has been replaced.
--   Deleting a folder cascades to its local files, their block lookups, and all remote state.
CREATE TABLE IF NOT EXISTS folders (
    idx          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    folder_id    TEXT    NOT NULL UNIQUE COLLATE BINARY,
    index_id     INTEGER NOT NULL CHECK (index_id <> 0),
    max_sequence INTEGER NOT NULL DEFAULT 0 CHECK (max_sequence >= 0)
) STRICT;
