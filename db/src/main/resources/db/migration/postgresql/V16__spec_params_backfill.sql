-- Parameters captured from the spec for the runs submitted before platform-api did so itself (runs.SpecParams):
-- the spec flattened to dotted keys (optimizer.lr, model.args.hidden, batchSize), numbers as numbers, strings and
-- booleans as themselves, an array as its compact JSON text. Parameters a run was given keep their value (ON
-- CONFLICT DO NOTHING: the user's value wins, as on submit). Left out, as SpecParams leaves them out: names a
-- parameter cannot have, texts over 1000 characters, and arrays holding objects (jsonb orders their keys otherwise
-- than SpecParams does, so their texts would not match those of later runs).
WITH RECURSIVE flat (run_id, project_id, name, value) AS (
    SELECT r.id, r.project_id, e.key, e.value
    FROM runs r CROSS JOIN LATERAL jsonb_each(r.spec) e
    WHERE jsonb_typeof(r.spec) = 'object'
    UNION ALL
    SELECT f.run_id, f.project_id, f.name || '.' || e.key, e.value
    FROM flat f CROSS JOIN LATERAL jsonb_each(f.value) e
    WHERE jsonb_typeof(f.value) = 'object'
),
typed AS (
    SELECT run_id, project_id, name, jsonb_typeof(value) AS kind,
           CASE WHEN jsonb_typeof(value) = 'array' THEN replace(value::text, ', ', ',') ELSE value #>> '{}' END AS text
    FROM flat
    WHERE jsonb_typeof(value) IN ('number', 'string', 'boolean', 'array')
)
INSERT INTO run_params (run_id, name, project_id, value_type, num_value, text_value)
SELECT run_id, name, project_id,
       CASE kind WHEN 'number' THEN 'number' WHEN 'boolean' THEN 'boolean' ELSE 'string' END,
       CASE WHEN kind = 'number' THEN CAST(text AS double precision) END,
       text
FROM typed
WHERE name ~ '^[A-Za-z0-9_.:/-]{1,200}$'
  AND length(text) <= 1000
  AND NOT (kind = 'array' AND strpos(text, '{') > 0)
ON CONFLICT (run_id, name) DO NOTHING;
