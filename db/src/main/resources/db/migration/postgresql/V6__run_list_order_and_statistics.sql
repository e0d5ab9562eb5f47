-- Trainyard control plane, schema 6 (PostgreSQL): for the run list (platform-api's RunSearchRepository).
-- H2 (standalone) has no expression indexes and no extended statistics; db/migration/h2/V6 is empty.

-- "sort=metric.<name>,desc" orders by -last_value, -run_id ascending, so that NaN (which PostgreSQL orders above
-- every number, and which is its own negation) comes last as it does ascending. This index answers that order the
-- way run_metric_summaries_last_idx answers the ascending one: a forward scan from the project and name, or from
-- the cursor, stopping at the page size. INCLUDE makes it an index-only scan: the statement reads last_value and
-- run_id themselves, which PostgreSQL does not recover from the negations (with a rare tag filter at 100,000 runs,
-- the scan of 6,000 entries took 23 ms with a heap fetch each, under 1 ms without).
CREATE INDEX run_metric_summaries_last_desc_idx ON run_metric_summaries (project_id, name, (-last_value), (-run_id))
    INCLUDE (last_value, run_id);

-- name and text_value are far from independent (optimizer=adam: one row in five overall, three in five of the
-- optimizer rows). Without these statistics the planner guessed a third of the matches for param.optimizer=adam
-- and, at 100,000 runs, merged 60,000 index entries instead of checking the newest runs one by one (30 ms vs 5 ms).
CREATE STATISTICS run_params_name_text_stats (mcv, dependencies) ON name, text_value FROM run_params;
