-- Trainyard control plane, schema 1.1 (H2, standalone): H2 has no partial indexes, so these index every row.
-- PostgreSQL gets partial indexes in db/migration/postgresql/V1_1__queue_indexes.sql.

CREATE INDEX runs_queue_idx ON runs (status, priority DESC, queued_at, id);
CREATE INDEX runs_lease_idx ON runs (status, lease_expires_at);
