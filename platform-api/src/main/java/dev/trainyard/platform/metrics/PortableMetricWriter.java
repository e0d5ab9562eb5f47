package dev.trainyard.platform.metrics;

import dev.trainyard.platform.events.MetricsAppended;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The writer for databases other than PostgreSQL (H2, in the standalone profile): plain SQL in one transaction,
 * the rollups and summaries merged in Java ({@link Rollups.Cell#merge}) row by row. Slower than
 * {@link PostgresMetricWriter}, which a laptop does not notice; the results are the same (tests check both).
 */
final class PortableMetricWriter implements MetricWriter {

    private static final int ATTEMPTS = 4;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    PortableMetricWriter(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
    }

    @Override
    public Written write(long projectId, long runId, Runnable fence, Supplier<SortedPoints> points) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(status -> {
                    if (fence != null) {
                        fence.run();
                    }
                    return writeOnce(projectId, runId, points.get());
                });
            } catch (DuplicateKeyException e) {
                if (attempt == ATTEMPTS) {
                    throw e; // a concurrent batch created the same rollup row; the retry merges into it
                }
            }
        }
    }

    private Written writeOnce(long projectId, long runId, SortedPoints p) {
        int n = p.size();
        List<Object[]> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(new Object[] {runId, p.keyIds()[i], p.steps()[i], p.values()[i], time(p.timeMicros()[i])});
        }
        int[] counts = jdbc.batchUpdate("INSERT INTO metric_points (run_id, key_id, step, num_value, wall_time)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", rows);
        long[] keys = new long[n];
        long[] steps = new long[n];
        double[] values = new double[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (counts[i] != 0) {
                keys[m] = p.keyIds()[i];
                steps[m] = p.steps()[i];
                values[m] = p.values()[i];
                m++;
            }
        }
        jdbc.batchUpdate("INSERT INTO metric_series (run_id, key_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                new TreeMap<>(p.names()).keySet().stream().map(k -> new Object[] {runId, k}).toList());
        if (m == 0) {
            return new Written(0, List.of());
        }
        for (Rollups.Cell cell : Rollups.cells(keys, steps, values, m)) {
            mergeRollup(runId, cell);
        }
        // the batch's contribution to each key's summary: the level-0 cell of all its points
        Map<Long, Rollups.Cell> perKey = new LinkedHashMap<>();
        for (int i = 0; i < m; i++) {
            Rollups.Cell c = Rollups.Cell.of(keys[i], 1, steps[i], values[i]);
            perKey.merge(keys[i], c, Rollups.Cell::merge);
        }
        Map<String, Rollups.Cell> byName = new TreeMap<>(); // summaries are locked in name order, as on PostgreSQL
        perKey.forEach((keyId, cell) -> byName.put(p.names().get(keyId), cell));
        List<MetricsAppended.KeyState> states = new ArrayList<>();
        byName.forEach((name, cell) -> states.add(mergeSummary(projectId, runId, name, cell)));
        return new Written(m, states);
    }

    private void mergeRollup(long runId, Rollups.Cell cell) {
        List<Rollups.Cell> existing = jdbc.query("SELECT first_step, last_step, point_count, nan_count, min_value,"
                        + " max_value, last_value FROM metric_rollups WHERE run_id = ? AND key_id = ?"
                        + " AND bucket_width = ? AND bucket_start = ? FOR UPDATE",
                (rs, i) -> new Rollups.Cell(cell.keyId(), cell.width(), cell.bucketStart(), rs.getLong(1),
                        rs.getLong(2), rs.getInt(3), rs.getInt(4), nanIfNull(rs.getObject(5, Double.class)),
                        nanIfNull(rs.getObject(6, Double.class)), rs.getDouble(7)),
                runId, cell.keyId(), cell.width(), cell.bucketStart());
        if (existing.isEmpty()) {
            jdbc.update("INSERT INTO metric_rollups (run_id, key_id, bucket_width, bucket_start, first_step, last_step,"
                            + " point_count, nan_count, min_value, max_value, last_value)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    runId, cell.keyId(), cell.width(), cell.bucketStart(), cell.firstStep(), cell.lastStep(),
                    cell.count(), cell.nanCount(), nullIfNaN(cell.min()), nullIfNaN(cell.max()), cell.last());
        } else {
            Rollups.Cell merged = existing.getFirst().merge(cell);
            jdbc.update("UPDATE metric_rollups SET first_step = ?, last_step = ?, point_count = ?, nan_count = ?,"
                            + " min_value = ?, max_value = ?, last_value = ? WHERE run_id = ? AND key_id = ?"
                            + " AND bucket_width = ? AND bucket_start = ?",
                    merged.firstStep(), merged.lastStep(), merged.count(), merged.nanCount(), nullIfNaN(merged.min()),
                    nullIfNaN(merged.max()), merged.last(), runId, cell.keyId(), cell.width(), cell.bucketStart());
        }
    }

    private MetricsAppended.KeyState mergeSummary(long projectId, long runId, String name, Rollups.Cell batch) {
        List<Rollups.Cell> existing = jdbc.query("SELECT last_step, min_value, max_value, last_value"
                        + " FROM run_metric_summaries WHERE run_id = ? AND name = ? FOR UPDATE",
                (rs, i) -> new Rollups.Cell(batch.keyId(), batch.width(), 0, rs.getLong(1), rs.getLong(1), 0, 0,
                        rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)),
                runId, name);
        Rollups.Cell merged = existing.isEmpty() ? batch : existing.getFirst().merge(batch);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        if (existing.isEmpty()) {
            jdbc.update("INSERT INTO run_metric_summaries (run_id, name, project_id, last_value, last_step, min_value,"
                            + " max_value, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    runId, name, projectId, merged.last(), merged.lastStep(), merged.min(), merged.max(), now);
        } else {
            jdbc.update("UPDATE run_metric_summaries SET last_value = ?, last_step = ?, min_value = ?, max_value = ?,"
                            + " updated_at = ? WHERE run_id = ? AND name = ?",
                    merged.last(), merged.lastStep(), merged.min(), merged.max(), now, runId, name);
        }
        return new MetricsAppended.KeyState(name, merged.lastStep(), merged.last(), merged.min(), merged.max());
    }

    private static OffsetDateTime time(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    private static double nanIfNull(Double d) {
        return d == null ? Double.NaN : d;
    }

    private static Double nullIfNaN(double d) {
        return Double.isNaN(d) ? null : d;
    }
}
