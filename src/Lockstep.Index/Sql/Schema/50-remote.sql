-- What each peer has announced to us, per folder: its index ID, how far we have received its sequence,
-- and its FileInfos as last announced.

-- devices: compact keys for the 32-byte device IDs, so per-file rows carry an integer.
-- Invariants: device_id is exactly 32 bytes and unique; rows are never deleted (they are tiny).
CREATE TABLE IF NOT EXISTS devices (
    idx       INTEGER NOT NULL PRIMARY KEY,
    device_id BLOB    NOT NULL UNIQUE CHECK (length(device_id) = 32)
) STRICT;

-- remote_state: one row per (folder, device) we have heard from about that folder.
-- Invariants:
--   index_id is the peer's announced index ID for the folder, 0 until it announces one. When it
--     changes, the peer's sequence numbering restarted: its files here are dropped and max_sequence
--     goes back to 0 in the same transaction.
--   max_sequence is the highest sequence among the FileInfos received since the last index ID change
--     or full Index; what we tell the peer we already have.
CREATE TABLE IF NOT EXISTS remote_state (
    folder_idx   INTEGER NOT NULL REFERENCES folders (idx) ON DELETE CASCADE,
    device_idx   INTEGER NOT NULL REFERENCES devices (idx) ON DELETE CASCADE,
    index_id     INTEGER NOT NULL DEFAULT 0,
    max_sequence INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (folder_idx, device_idx)
) STRICT, WITHOUT ROWID;

-- remote_files: the peer's FileInfos, one row per (folder, device, name), columns as in local_files
-- (same encodings, same reason for the BLOBs coming last) minus the local-only inode.
-- Invariants: every row has a remote_state row (deleting that cascades here); sequence is the
-- peer's, stored as received.
CREATE TABLE IF NOT EXISTS remote_files (
    id             INTEGER NOT NULL PRIMARY KEY,
    folder_idx     INTEGER NOT NULL,
    device_idx     INTEGER NOT NULL,
    name           TEXT    NOT NULL COLLATE BINARY,
    type           INTEGER NOT NULL,
    size           INTEGER NOT NULL,
    permissions    INTEGER NOT NULL,
    modified_s     INTEGER NOT NULL,
    modified_ns    INTEGER NOT NULL,
    deleted        INTEGER NOT NULL CHECK (deleted IN (0, 1)),
    invalid        INTEGER NOT NULL CHECK (invalid IN (0, 1)),
    no_permissions INTEGER NOT NULL CHECK (no_permissions IN (0, 1)),
    sequence       INTEGER NOT NULL,
    modified_by    INTEGER NOT NULL,
    block_size     INTEGER NOT NULL,
    symlink_target TEXT    NOT NULL DEFAULT '',
    version        BLOB,
    blocks         BLOB,
    FOREIGN KEY (folder_idx, device_idx) REFERENCES remote_state (folder_idx, device_idx) ON DELETE CASCADE
) STRICT;

-- Lookups by name, name-ordered scans, dropping one device's files, and the foreign key's child index.
CREATE UNIQUE INDEX IF NOT EXISTS remote_files_name ON remote_files (folder_idx, device_idx, name);
