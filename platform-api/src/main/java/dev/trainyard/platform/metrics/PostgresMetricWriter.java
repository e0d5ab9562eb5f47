package dev.trainyard.platform.metrics;

import dev.trainyard.platform.events.MetricsAppended;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The PostgreSQL writer: one statement per batch, whatever its size. The points travel as four arrays
 * ({@code unnest}); data-modifying CTEs insert them, register the series, fold the new points into every rollup
 * level and into the run's summaries, and return the summaries. The statement is its own transaction; a worker's
 * write runs the lease check, then interns the batch's new keys, then the statement, in one transaction. Of its cost
 * (bench/metrics-ingest), the point rows themselves are about two thirds, the rollups and summaries one third.
 *
 * <p>How the points are inserted depends on what is known about the series, cheapest first:
 * <ol>
 *   <li>plain {@code INSERT} when every point's step is above the highest step this writer has seen stored for its
 *       series (the usual case: a run logging forward; the highest steps come back from each write);
 *   <li>{@code WHERE NOT EXISTS} otherwise, which costs about a third of what {@code ON CONFLICT DO NOTHING} does per
 *       row (no speculative insertion);
 *   <li>{@code ON CONFLICT DO NOTHING} after either of the others failed on the primary key: a concurrent batch
 *       (a retry sent while the first try is still running, or another API instance) stored some of the points
 *       meanwhile. A deadlock between two batches of one run (rare: every writer takes its locks in key, step
 *       order) is retried the same way.
 * </ol>
 * So a stale high-water mark costs one retry, never a wrong answer.
 */
final class PostgresMetricWriter implements MetricWriter {

    private static final int ATTEMPTS = 4;

    /** The high-water marks kept at most; the map starts over when full. */
    static final int MAX_MARKS = 100_000;

    private final JdbcTemplate jdbc;
    private final Sql append;
    private final Sql fast;
    private final Sql safe;
    /** The highest step stored per series, as the last write of it here returned it. */
    private final Map<MetricQueries.SeriesId, Long> highWater = new ConcurrentHashMap<>();

    enum Mode { APPEND, NOT_EXISTS, ON_CONFLICT }

    private final TransactionTemplate tx;

    PostgresMetricWriter(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.append = new Sql(statement(Mode.APPEND));
        this.fast = new Sql(statement(Mode.NOT_EXISTS));
        this.safe = new Sql(statement(Mode.ON_CONFLICT));
    }

    static String statement(Mode mode) {
        String insertFilter = switch (mode) {
            case APPEND -> "";
            case NOT_EXISTS -> "WHERE NOT EXISTS (SELECT 1 FROM metric_points p WHERE p.run_id = :run"
                    + " AND p.key_id = i.key_id AND p.step = i.step)";
            case ON_CONFLICT -> "ON CONFLICT DO NOTHING";
        };
        return """
                WITH input AS (
                  SELECT * FROM unnest(CAST(:keys AS BIGINT[]), CAST(:steps AS BIGINT[]),
                                       CAST(:values AS DOUBLE PRECISION[]), CAST(:times AS BIGINT[]))
                    AS t(key_id, step, value, time_us)
                ), ins AS (
                  INSERT INTO metric_points (run_id, key_id, step, num_value, wall_time)
                  SELECT :run, i.key_id, i.step, i.value, TIMESTAMPTZ 'epoch' + i.time_us * INTERVAL '1 microsecond'
                  FROM input i
                  %s
                  RETURNING key_id, step, num_value AS value
                ), series AS (
                  INSERT INTO metric_series (run_id, key_id)
                  SELECT DISTINCT :run, key_id FROM input ORDER BY 2
                  ON CONFLICT DO NOTHING
                ), l0 AS (
                  SELECT key_id, step / %d * %d AS bucket, min(step) AS first_step, max(step) AS last_step,
                         count(*) AS n, count(*) FILTER (WHERE value = 'NaN') AS nans,
                         min(value) FILTER (WHERE value <> 'NaN') AS lo, max(value) FILTER (WHERE value <> 'NaN') AS hi
                  FROM ins GROUP BY 1, 2
                ), l1 AS (
                  SELECT l0.*, i.value AS last FROM l0 JOIN ins i ON i.key_id = l0.key_id AND i.step = l0.last_step
                ), up AS (
                  SELECT key_id, w.width, bucket / w.width * w.width AS bucket, min(first_step) AS first_step,
                         max(last_step) AS last_step, sum(n) AS n, sum(nans) AS nans, min(lo) AS lo, max(hi) AS hi
                  FROM l1 CROSS JOIN (VALUES %s) AS w(width)
                  GROUP BY 1, 2, 3
                ), cells AS (
                  SELECT key_id, %d AS width, bucket, first_step, last_step, n, nans, lo, hi, last FROM l1
                  UNION ALL
                  SELECT up.key_id, up.width, up.bucket, up.first_step, up.last_step, up.n, up.nans, up.lo, up.hi,
                         l1.last
                  FROM up JOIN l1 ON l1.key_id = up.key_id AND l1.last_step = up.last_step
                ), rollups AS (
                  INSERT INTO metric_rollups AS r (run_id, key_id, bucket_width, bucket_start, first_step, last_step,
                                                   point_count, nan_count, min_value, max_value, last_value)
                  SELECT :run, key_id, width, bucket, first_step, last_step, n, nans, lo, hi, last
                  FROM cells ORDER BY key_id, width, bucket
                  ON CONFLICT (run_id, key_id, bucket_width, bucket_start) DO UPDATE SET
                    first_step = LEAST(r.first_step, EXCLUDED.first_step),
                    last_step = GREATEST(r.last_step, EXCLUDED.last_step),
                    point_count = r.point_count + EXCLUDED.point_count,
                    nan_count = r.nan_count + EXCLUDED.nan_count,
                    min_value = LEAST(r.min_value, EXCLUDED.min_value),
                    max_value = GREATEST(r.max_value, EXCLUDED.max_value),
                    last_value = CASE WHEN EXCLUDED.last_step > r.last_step THEN EXCLUDED.last_value
                                      ELSE r.last_value END
                ), batch AS (
                  SELECT key_id, max(last_step) AS last_step, min(lo) AS lo, max(hi) AS hi,
                         (array_agg(last ORDER BY last_step DESC))[1] AS last
                  FROM l1 GROUP BY key_id
                ), summaries AS (
                  INSERT INTO run_metric_summaries AS s (run_id, name, project_id, last_value, last_step, min_value,
                                                         max_value, updated_at)
                  SELECT :run, k.name, :project, b.last, b.last_step, COALESCE(b.lo, 'NaN'), COALESCE(b.hi, 'NaN'),
                         now()
                  FROM batch b JOIN metric_keys k ON k.id = b.key_id ORDER BY k.name
                  ON CONFLICT (run_id, name) DO UPDATE SET
                    last_value = CASE WHEN EXCLUDED.last_step > s.last_step THEN EXCLUDED.last_value
                                      ELSE s.last_value END,
                    last_step = GREATEST(s.last_step, EXCLUDED.last_step),
                    min_value = LEAST(s.min_value, EXCLUDED.min_value),
                    max_value = CASE WHEN s.max_value = 'NaN' THEN EXCLUDED.max_value
                                     WHEN EXCLUDED.max_value = 'NaN' THEN s.max_value
                                     ELSE GREATEST(s.max_value, EXCLUDED.max_value) END,
                    updated_at = EXCLUDED.updated_at
                  RETURNING name, last_value, last_step, min_value, max_value
                )
                SELECT c.n AS inserted, s.name, s.last_value, s.last_step, s.min_value, s.max_value
                FROM (SELECT count(*) AS n FROM ins) c LEFT JOIN summaries s ON TRUE
                """.formatted(insertFilter, Rollups.WIDTHS[0], Rollups.WIDTHS[0], Rollups.upperLevelsValues(),
                Rollups.WIDTHS[0]);
        // Each cell's last value is that of its highest step, found by joining back rather than with an ordered
        // aggregate (a sort per cell). min and LEAST need no NaN care: PostgreSQL orders NaN above every number,
        // and the rollups hold NULL for it.
    }

    @Override
    public Written write(long projectId, long runId, Runnable fence, Supplier<SortedPoints> prepare) {
        for (int attempt = 1; ; attempt++) {
            try {
                boolean retry = attempt > 1;
                return fence == null ? once(projectId, runId, prepare.get(), retry) : tx.execute(status -> {
                    fence.run();
                    return once(projectId, runId, prepare.get(), retry);
                });
            } catch (DuplicateKeyException | PessimisticLockingFailureException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                // another batch stored some of these points meanwhile, or we deadlocked with it: ON CONFLICT next
            }
        }
    }

    private Written once(long projectId, long runId, SortedPoints points, boolean retry) {
        Sql sql = retry ? safe : aboveHighWater(runId, points) ? append : fast;
        Written written = run(sql, projectId, runId, points.keyIdsExact(), points.stepsExact(), points.valuesExact(),
                points.timesExact());
        remember(runId, points, written);
        return written;
    }

    /** Whether each key's lowest step in the batch is above the highest this writer knows to be stored. */
    private boolean aboveHighWater(long runId, SortedPoints points) {
        long[] keys = points.keyIds();
        long[] steps = points.steps();
        for (int i = 0; i < points.size(); i++) {
            if (i == 0 || keys[i] != keys[i - 1]) { // the first (lowest) step of a key
                Long mark = highWater.get(new MetricQueries.SeriesId(runId, keys[i]));
                if (mark == null || steps[i] <= mark) {
                    return false;
                }
            }
        }
        return true;
    }

    private void remember(long runId, SortedPoints points, Written written) {
        if (highWater.size() > MAX_MARKS) {
            highWater.clear();
        }
        Map<String, Long> ids = new HashMap<>();
        points.names().forEach((id, name) -> ids.put(name, id));
        for (MetricsAppended.KeyState k : written.keys()) {
            Long keyId = ids.get(k.key());
            if (keyId != null) {
                highWater.merge(new MetricQueries.SeriesId(runId, keyId), k.step(), Math::max);
            }
        }
    }

    private Written run(Sql sql, long projectId, long runId, long[] keys, long[] steps, double[] values,
            long[] times) {
        return jdbc.query(connection -> {
            PreparedStatement ps = connection.prepareStatement(sql.text());
            sql.bind(ps, "run", runId);
            sql.bind(ps, "project", projectId);
            sql.bind(ps, "keys", keys);
            sql.bind(ps, "steps", steps);
            sql.bind(ps, "values", values);
            sql.bind(ps, "times", times);
            return ps;
        }, (ResultSet rs) -> {
            int inserted = 0;
            List<MetricsAppended.KeyState> states = new ArrayList<>();
            while (rs.next()) {
                inserted = rs.getInt("inserted");
                String name = rs.getString("name");
                if (name != null) {
                    states.add(new MetricsAppended.KeyState(name, rs.getLong("last_step"), rs.getDouble("last_value"),
                            rs.getDouble("min_value"), rs.getDouble("max_value")));
                }
            }
            return new Written(inserted, states);
        });
    }

    /** A statement with named parameters (:name), each possibly used several times, turned into JDBC's ?s. */
    record Sql(String text, List<String> names) {

        Sql(String named) {
            this(parse(named), names(named));
        }

        private static final java.util.regex.Pattern PARAM = java.util.regex.Pattern.compile("(?<!:):([a-z]+)");

        private static String parse(String named) {
            return PARAM.matcher(named).replaceAll("?");
        }

        private static List<String> names(String named) {
            List<String> names = new ArrayList<>();
            PARAM.matcher(named).results().forEach(m -> names.add(m.group(1)));
            return names;
        }

        void bind(PreparedStatement ps, String name, Object value) throws SQLException {
            boolean found = false;
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equals(name)) {
                    ps.setObject(i + 1, value);
                    found = true;
                }
            }
            if (!found) {
                throw new IllegalArgumentException("no parameter :" + name);
            }
        }
    }
}
