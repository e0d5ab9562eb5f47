-- Trainyard control plane, schema 7 (PostgreSQL and H2): an index on runs.cloned_from.
-- Deleting a run sets cloned_from to NULL in its clones (ON DELETE SET NULL, V1); PostgreSQL does not index a
-- foreign key's referencing column by itself, so without this index every delete scanned the whole runs table.
-- H2 already keeps an index for the foreign key; this one is harmless there.
CREATE INDEX runs_cloned_from_idx ON runs (cloned_from);
