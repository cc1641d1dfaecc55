-- local_files: this node's own view of each folder, one row per name: the FileInfo we announce (BEP
-- Index / IndexUpdate) plus local-only metadata.
--
-- Invariants:
--   (folder_idx, name) is unique: a change replaces the row (same id), it never adds a second one.
--   name is folder-relative, '/'-separated, compared byte-wise (BINARY on UTF-8 = code point order).
--   sequence > 0, unique per folder, <= folders.max_sequence; a changed row always gets a new, higher one.
--   Unsigned 64-bit values (modified_by, inode) are stored as their two's-complement INTEGER.
--   deleted / invalid / no_permissions are 0 or 1.
--   version: the version vector, 16 bytes per counter, [short id: u64 BE][value: u64 BE], in the
--     vector's order (ascending id); NULL for an empty vector.
--   blocks: the block list, NULL when there are none; layout in Storage/BlockListCodec.cs.
--   inode: 0 when unknown; change detection only, never announced.
--   The two BLOBs are the last columns on purpose: a metadata scan (EnumerateLocalMeta) then never has
--   to walk the overflow pages of a large block list to reach a column behind it.
CREATE TABLE IF NOT EXISTS local_files (
    id             INTEGER NOT NULL PRIMARY KEY,
    folder_idx     INTEGER NOT NULL REFERENCES folders (idx) ON DELETE CASCADE,
    name           TEXT    NOT NULL COLLATE BINARY,
    type           INTEGER NOT NULL,
    size           INTEGER NOT NULL,
    permissions    INTEGER NOT NULL,
    modified_s     INTEGER NOT NULL,
    modified_ns    INTEGER NOT NULL,
    deleted        INTEGER NOT NULL CHECK (deleted IN (0, 1)),
    invalid        INTEGER NOT NULL CHECK (invalid IN (0, 1)),
    no_permissions INTEGER NOT NULL CHECK (no_permissions IN (0, 1)),
    sequence       INTEGER NOT NULL CHECK (sequence > 0),
    modified_by    INTEGER NOT NULL,
    block_size     INTEGER NOT NULL,
    symlink_target TEXT    NOT NULL DEFAULT '',
    inode          INTEGER NOT NULL DEFAULT 0,
    version        BLOB,
    blocks         BLOB
) STRICT;

-- Lookups by name, and name-ordered scans (whole folder or one directory's subtree, as a range).
CREATE UNIQUE INDEX IF NOT EXISTS local_files_name ON local_files (folder_idx, name);

-- "Everything after sequence N", what an IndexUpdate to a peer sends.
CREATE UNIQUE INDEX IF NOT EXISTS local_files_sequence ON local_files (folder_idx, sequence);
