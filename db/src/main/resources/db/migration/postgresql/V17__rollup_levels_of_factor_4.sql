-- Rollup levels of factor 4 (platform-api metrics.Rollups): 16, 64, 256, 1,024, ... 16^6 instead of 16, 256, ...
-- 16^6. The dashboard asks ~600 buckets over a million steps (~1,700 steps a bucket), which factor 16 answered from
-- the 256-step level (~3,900 rows a series) and factor 4 from the 1,024-step level (~1,000); zooms likewise read at
-- most 4 rows a bucket instead of 16. The existing levels stay as they are; the new ones are backfilled here.
--
-- Each new level from the old level a quarter as wide (64 from 16, 1,024 from 256, ...), which holds every point of
-- the series already: count and NaN count summed, min of mins and max of maxes (NULL, all NaN, drops out), first
-- and last steps, and the last value of the source bucket with the highest start (buckets are disjoint and
-- aligned, so it holds the highest step), found through the primary key rather than an ordered aggregate. Inserted
-- in key order, so the rows of one series' level lie together in the table, as ingestion writes them, rather than
-- scattered in the aggregate's hash order (which made a 20-run read of the new 1,024-step level touch 14,000 pages
-- for 19,520 rows).
-- The aggregate holds one group per new row (a quarter of the 16-step level's rows): enough memory keeps it from
-- spilling to disk in 128 partitions.
SET LOCAL work_mem = '256MB';

INSERT INTO metric_rollups (run_id, key_id, bucket_width, bucket_start, first_step, last_step, point_count, nan_count,
                            min_value, max_value, last_value)
SELECT c.run_id, c.key_id, c.width, c.bucket, c.first_step, c.last_step, c.n, c.nans, c.lo, c.hi, s.last_value
FROM (
    SELECT r.run_id, r.key_id, l.width, l.source, r.bucket_start / l.width * l.width AS bucket,
           MIN(r.first_step) AS first_step, MAX(r.last_step) AS last_step, SUM(r.point_count) AS n,
           SUM(r.nan_count) AS nans, MIN(r.min_value) AS lo, MAX(r.max_value) AS hi,
           MAX(r.bucket_start) AS last_source_bucket
    FROM metric_rollups r
    JOIN (VALUES (64, 16), (1024, 256), (16384, 4096), (262144, 65536), (4194304, 1048576)) AS l (width, source)
      ON r.bucket_width = l.source
    GROUP BY r.run_id, r.key_id, l.width, l.source, r.bucket_start / l.width * l.width
) c
JOIN metric_rollups s ON s.run_id = c.run_id AND s.key_id = c.key_id AND s.bucket_width = c.source
                     AND s.bucket_start = c.last_source_bucket
ORDER BY c.run_id, c.key_id, c.width, c.bucket;

-- The primary key carries every column a series query reads (INCLUDE), so PostgreSQL answers from the index alone
-- (an index-only scan) and a series' rows lie together on the index's leaf pages, in step order, wherever ingestion
-- put them in the table: live runs logging side by side interleave their rows on the table's pages, one row of a
-- series per page. Measured on 20 runs x 1,000,000 points (BENCHMARKS.md): the compare page's read of the 1,024-step
-- level touches 1,400 index pages for 19,520 rows. The cost: an update of a cell (ingestion folds each batch into
-- the cells it touches) can no longer be a heap-only update, so it writes an index entry too.
ALTER TABLE metric_rollups DROP CONSTRAINT metric_rollups_pkey;
ALTER TABLE metric_rollups ADD CONSTRAINT metric_rollups_pkey PRIMARY KEY (run_id, key_id, bucket_width, bucket_start)
    INCLUDE (first_step, last_step, point_count, nan_count, min_value, max_value, last_value);

-- An index-only scan reads the table for rows on pages the visibility map does not mark all-visible, i.e. written
-- since the table's last vacuum. Autovacuum vacuums after inserts and updates of 20% of the table by default (a
-- table of 10 M cells: every 2 M cells written); 2% keeps the not-yet-visible part, the recent cells of the runs
-- being logged, small. A vacuum skips the pages already all-visible, so vacuuming a big table often stays cheap.
ALTER TABLE metric_rollups SET (autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_vacuum_scale_factor = 0.02);

ANALYZE metric_rollups;
