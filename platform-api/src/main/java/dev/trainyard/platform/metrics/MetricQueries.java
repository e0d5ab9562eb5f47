package dev.trainyard.platform.metrics;

import dev.trainyard.platform.metrics.MetricRecords.Bucket;
import dev.trainyard.platform.metrics.MetricRecords.Point;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads metric series: buckets from rollups and points, raw points, extents. Portable SQL (PostgreSQL and H2). */
@Repository
class MetricQueries {

    private final JdbcClient jdbc;

    MetricQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A series: one run's points of one key. */
    record SeriesId(long runId, long keyId) {}

    /**
     * The downsampling. Output bucket {@code b} holds the parts whose first step falls in
     * {@code [from + b * width, from + (b + 1) * width)}; a part is a rollup cell lying wholly inside
     * {@code [from, to]} ({@link #cover}: the given level in the middle, narrower levels toward the two ends), or a
     * single point where not even a 16-step cell fits. Parts never straddle output buckets' contents: each is a run of
     * consecutive steps, so buckets are disjoint and ordered, each reports the steps it really holds, and its count,
     * NaN count, min, max (NaN left out) and last (the value at its highest step) are exact. With {@code level} 0
     * every part is a point.
     *
     * <p>The parts are merged here, not by a GROUP BY: merging is order-free (see {@link BucketSums}), so the
     * database only streams the rows. Grouping with the last value as ARRAY_AGG(... ORDER BY) made PostgreSQL sort
     * every part (on disk past work_mem): about 30 ms per 4,000 parts, a third of a second for 20 runs of a million
     * points, where streaming them takes a few milliseconds per thousand.
     */
    Map<SeriesId, List<Bucket>> buckets(Collection<Long> runIds, Collection<Long> keyIds, long from, long to,
            long width, int level) {
        Cover cover = cover(from, to, level);
        StringBuilder sql = new StringBuilder();
        Map<String, Object> params = new HashMap<>();
        for (int i = 0; i < cover.cells().size(); i++) {
            CellRange c = cover.cells().get(i);
            sql.append("""
                    SELECT run_id, key_id, first_step, last_step, point_count, nan_count, min_value, max_value,
                           last_value
                    FROM metric_rollups
                    WHERE run_id IN (:runs) AND key_id IN (:keys) AND bucket_width = :w%1$d
                      AND bucket_start >= :lo%1$d AND bucket_start < :hi%1$d
                    UNION ALL
                    """.formatted(i));
            params.put("w" + i, c.width());
            params.put("lo" + i, c.from());
            params.put("hi" + i, c.to());
        }
        // the points before and after the cells; none when the cells reach both ends (no index probes then)
        List<String> ends = new ArrayList<>();
        if (from < cover.from()) {
            ends.add("(step >= :from AND step < :coveredFrom)");
            params.put("from", from);
            params.put("coveredFrom", cover.from());
        }
        if (cover.to() <= to) {
            ends.add("(step >= :coveredTo AND step <= :to)");
            params.put("coveredTo", cover.to());
            params.put("to", to);
        }
        if (ends.isEmpty()) {
            sql.setLength(sql.lastIndexOf("UNION ALL"));
        } else {
            sql.append("""
                    SELECT run_id, key_id, step, step, 1,
                           CASE WHEN num_value = 'NaN' THEN 1 ELSE 0 END,
                           CASE WHEN num_value = 'NaN' THEN NULL ELSE num_value END,
                           CASE WHEN num_value = 'NaN' THEN NULL ELSE num_value END, num_value
                    FROM metric_points
                    WHERE run_id IN (:runs) AND key_id IN (:keys) AND (%s)
                    """.formatted(String.join(" OR ", ends)));
        }
        params.put("runs", runIds);
        params.put("keys", keyIds);
        int slots = (int) Math.ceilDiv(to - from + 1, width);
        Map<SeriesId, BucketSums> sums = new HashMap<>();
        jdbc.sql(sql.toString())
                .params(params)
                .query(rs -> {
                    long firstStep = rs.getLong(3);
                    double lo = rs.getDouble(7);
                    if (rs.wasNull()) {
                        lo = Double.NaN;
                    }
                    double hi = rs.getDouble(8);
                    if (rs.wasNull()) {
                        hi = Double.NaN;
                    }
                    sums.computeIfAbsent(new SeriesId(rs.getLong(1), rs.getLong(2)), s -> new BucketSums(slots))
                            .add((int) ((firstStep - from) / width), firstStep, rs.getLong(4), rs.getLong(5),
                                    rs.getLong(6), lo, hi, rs.getDouble(9));
                });
        Map<SeriesId, List<Bucket>> out = new HashMap<>();
        sums.forEach((id, s) -> out.put(id, s.buckets()));
        return out;
    }

    /** Cells of one level whose bucket start is in {@code [from, to)}. */
    record CellRange(int width, long from, long to) {}

    /** The cells to read, and {@code [from, to)}, the steps they cover (empty at {@code to + 1} when none). */
    record Cover(List<CellRange> cells, long from, long to) {}

    /**
     * The aligned cells that tile {@code [from, to]} as far as they fit: {@code level}'s in the middle, then at
     * each end the cells of each narrower level that fit between the wider ones and the range's end (at most three
     * per end and level, the levels being a factor 4 apart). So the points read at the ends are fewer than 16 per
     * end, not up to a whole cell of {@code level} (1,023 steps at the 1,024-step level).
     */
    static Cover cover(long from, long to, int level) {
        List<CellRange> cells = new ArrayList<>();
        long lo = to + 1;
        long hi = to + 1;
        for (int i = Rollups.WIDTHS.length - 1; i >= 0; i--) {
            int w = Rollups.WIDTHS[i];
            if (w > level) {
                continue;
            }
            long a = Math.ceilDiv(from, w) * (long) w;
            long b = Math.floorDiv(to + 1, w) * (long) w;
            if (cells.isEmpty()) {
                if (a < b) {
                    cells.add(new CellRange(w, a, b));
                    lo = a;
                    hi = b;
                }
            } else {
                if (a < lo) {
                    cells.add(new CellRange(w, a, lo));
                    lo = a;
                }
                if (hi < b) {
                    cells.add(new CellRange(w, hi, b));
                    hi = b;
                }
            }
        }
        return new Cover(cells, lo, hi);
    }

    /** The points of these series between two steps, in step order. */
    Map<SeriesId, List<Point>> points(Collection<SeriesId> series, long from, long to) {
        Map<SeriesId, List<Point>> out = new HashMap<>();
        if (series.isEmpty()) {
            return out;
        }
        StringBuilder which = new StringBuilder();
        Map<String, Object> params = new HashMap<>();
        int i = 0;
        for (SeriesId s : series) {
            which.append(i == 0 ? "" : " OR ").append("(run_id = :r").append(i).append(" AND key_id = :k").append(i)
                    .append(')');
            params.put("r" + i, s.runId());
            params.put("k" + i, s.keyId());
            i++;
        }
        params.put("from", from);
        params.put("to", to);
        jdbc.sql("SELECT run_id, key_id, step, num_value, wall_time FROM metric_points WHERE (" + which + ")"
                        + " AND step >= :from AND step <= :to ORDER BY run_id, key_id, step")
                .params(params)
                .query(rs -> {
                    out.computeIfAbsent(new SeriesId(rs.getLong("run_id"), rs.getLong("key_id")), s -> new ArrayList<>())
                            .add(new Point(rs.getLong("step"), rs.getDouble("num_value"),
                                    rs.getObject("wall_time", OffsetDateTime.class).toInstant()));
                });
        return out;
    }

    /** The lowest and highest step of these series together, or null when they have no points. */
    long[] extent(Collection<Long> runIds, Collection<Long> keyIds) {
        return jdbc.sql("SELECT MIN(first_step) AS lo, MAX(last_step) AS hi FROM metric_rollups"
                        + " WHERE run_id IN (:runs) AND key_id IN (:keys) AND bucket_width = :widest")
                .param("runs", runIds).param("keys", keyIds).param("widest", Rollups.widest())
                .query((rs, n) -> rs.getObject("lo") == null ? null : new long[] {rs.getLong("lo"), rs.getLong("hi")})
                .single();
    }
}
