-- Trainyard control plane, schema 2.1 (PostgreSQL): the workers' index and page fill, and the NOTIFY that wakes
-- workers waiting in a long-poll lease. H2 (standalone) gets the index and no trigger in
-- db/migration/h2/V2_1__lease_indexes.sql: there, waiting workers poll.

CREATE INDEX workers_token_idx ON workers (token_id, registered_at);
-- No index on last_seen_at: it changes all the time, and without it those updates are HOT (no index writes). The
-- rescuer's look for silent workers reads the small workers table whole. Room on each page keeps them HOT.
ALTER TABLE workers SET (fillfactor = 50);

-- Whenever a run becomes QUEUED (submitted, retried, re-queued by the rescuer), tell the platform-api instances
-- listening on trainyard_runs_queued. Notifications are delivered at commit, and identical ones in one transaction
-- are folded into one, so a bulk insert wakes the waiters once.
CREATE FUNCTION trainyard_notify_run_queued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('trainyard_runs_queued', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER runs_queued_on_insert AFTER INSERT ON runs
    FOR EACH ROW WHEN (NEW.status = 'QUEUED') EXECUTE FUNCTION trainyard_notify_run_queued();
CREATE TRIGGER runs_queued_on_update AFTER UPDATE OF status ON runs
    FOR EACH ROW WHEN (NEW.status = 'QUEUED' AND OLD.status <> 'QUEUED') EXECUTE FUNCTION trainyard_notify_run_queued();
