-- Rollup levels of factor 4 (platform-api metrics.Rollups): 16, 64, 256, 1,024, ... 16^6 instead of 16, 256, ...
-- 16^6. The dashboard asks ~600 buckets over a million steps (~1,700 steps a bucket), which factor 16 answered from
-- the 256-step level (~3,900 rows a series) and factor 4 from the 1,024-step level (~1,000); zooms likewise read at
-- most 4 rows a bucket instead of 16. The existing levels stay as they are; the new ones are backfilled here.
--
-- Each new level from the old level a quarter as wide (64 from 16, 1,024 from 256, ...), which holds every point of
-- the series already: count and NaN count summed, min of mins and max of maxes (NULL, all NaN, drops out), first
-- and last steps, and the last value of the source bucket with the highest start (buckets are disjoint and
-- aligned, so it holds the highest step), found through the primary key by a scalar subquery (H2 would re-run the
-- grouped derived table for every row of a join with it). Inserted in key order, so the rows of one series' level
-- lie together in the table, as ingestion writes them, rather than scattered in the aggregate's hash order (which
-- made a 20-run read of the new 1,024-step level touch 14,000 pages for 19,520 rows).
INSERT INTO metric_rollups (run_id, key_id, bucket_width, bucket_start, first_step, last_step, point_count, nan_count,
                            min_value, max_value, last_value)
SELECT c.run_id, c.key_id, c.width, c.bucket, c.first_step, c.last_step, c.n, c.nans, c.lo, c.hi,
       (SELECT s.last_value FROM metric_rollups s
        WHERE s.run_id = c.run_id AND s.key_id = c.key_id AND s.bucket_width = c.source
          AND s.bucket_start = c.last_source_bucket)
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
ORDER BY c.run_id, c.key_id, c.width, c.bucket;
