-- Trainyard control plane, schema 1.1 (PostgreSQL): the queue's indexes, partial so they hold only live rows.
-- H2 (standalone) gets plain indexes with the same columns in db/migration/h2/V1_1__queue_indexes.sql.

-- The claim: SELECT ... WHERE status = 'QUEUED' ORDER BY priority DESC, queued_at, id FOR UPDATE SKIP LOCKED LIMIT n
CREATE INDEX runs_queue_idx ON runs (priority DESC, queued_at, id) WHERE status = 'QUEUED';
-- The rescuer: running runs whose lease has expired.
CREATE INDEX runs_lease_idx ON runs (lease_expires_at) WHERE status = 'RUNNING';
