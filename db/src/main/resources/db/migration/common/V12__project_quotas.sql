-- Trainyard control plane, schema 12: per-project storage quotas. Portable SQL, the same on PostgreSQL and H2.
--
-- A project may hold at most a number of metric keys and a number of artifact bytes (checkpoints and datasets);
-- the defaults are trainyard.quotas.* in the application's properties, a site admin overrides them per project here
-- (NULL: the default). Metric keys are counted here, in metric_keys, by the transaction that creates them: new keys
-- are rare but batches that check them are not, and a counter row costs nothing when a batch brings no new key.
-- Artifact bytes are summed from their tables when something is stored (an upload, not a hot path).
CREATE TABLE project_quotas (
    project_id          BIGINT    PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    metric_keys         BIGINT    NOT NULL DEFAULT 0,
    max_metric_keys     BIGINT,
    max_artifact_bytes  BIGINT,
    updated_by          BIGINT    REFERENCES users (id) ON DELETE SET NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT project_quotas_values_check CHECK (metric_keys >= 0
        AND (max_metric_keys IS NULL OR max_metric_keys >= 0)
        AND (max_artifact_bytes IS NULL OR max_artifact_bytes >= 0))
);

INSERT INTO project_quotas (project_id, metric_keys)
SELECT p.id, (SELECT COUNT(*) FROM metric_keys k WHERE k.project_id = p.id) FROM projects p;

-- what a project's checkpoints weigh, summed at each upload
CREATE INDEX checkpoints_project_idx ON checkpoints (project_id);
