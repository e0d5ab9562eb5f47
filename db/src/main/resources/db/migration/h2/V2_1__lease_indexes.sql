-- Trainyard control plane, schema 2.1 (H2, standalone): the workers' index, and no NOTIFY trigger: on H2 waiting
-- workers poll. PostgreSQL's version is
-- db/migration/postgresql/V2_1__lease_indexes_and_queue_notify.sql.

CREATE INDEX workers_token_idx ON workers (token_id, registered_at);
