-- Lockstep index: database-wide bookkeeping.
--
-- Every script in Sql/Schema runs at every open, in file-name order, inside the open's single
-- transaction and after any migrations (Sql/Migrations). So each statement here must be idempotent
-- (IF NOT EXISTS) and must describe the LATEST schema: a fresh database is created from these files
-- alone, never by replaying migrations.
--
-- The schema version is PRAGMA user_version, not a table: it is transactional, readable before any
-- table exists, and set in the same transaction as the change it describes. PRAGMA application_id
-- marks the file as a Lockstep index, so a foreign SQLite file is refused instead of "migrated".

-- schema_history: which step brought the file to which version, for people reading a database by hand.
-- Invariants: rows are only ever added; version is a schema version this file has been at; script is
-- 'schema' for the open that created the file (or reached a version no migration produces), otherwise
-- the migration's file name.
CREATE TABLE IF NOT EXISTS schema_history (
    version    INTEGER NOT NULL PRIMARY KEY,
    script     TEXT    NOT NULL,
    applied_at INTEGER NOT NULL -- Unix seconds
) STRICT;
