package dev.trainyard.platform.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The rollup levels of a series (table metric_rollups): aligned step buckets of widths 16, 64, 256, ..., 16^6 (every
 * power of 4 from 16), each with the count, NaN count, min, max and last value of its points.
 *
 * <p>Why: grouping a million points into 1,500 buckets takes PostgreSQL about a second, far over the 50 ms a chart
 * may take. Reading the level nearest to one output bucket's width ({@link #levelFor}) instead touches at most two
 * rows per output bucket, narrower levels' buckets toward the range's two ends (MetricQueries.cover), and the points
 * only where not even a 16-step bucket fits there, or when the range is under 8 steps a bucket. Factor 4 rather than
 * 16 (migration V17): the dashboard's compare page asks ~550 buckets over a million steps (~1,800 steps a bucket),
 * which factor 16 answered from the 256-step level (~78,000 rows for 20 runs) and factor 4 from the 1,024-step
 * level (~20,000); zooms likewise read at most 4 rows a bucket instead of 16 (and 2 since levelFor takes the
 * level nearest the bucket width rather than the widest under it). Ingestion writes 1/12 of the points
 * as rollup rows instead of 1/15, plus one row per key and level per batch for the levels wider than the batch
 * (see BENCHMARKS.md). Every statistic kept is exact under merging (min of mins, max of maxes, sum of counts, the
 * last value of the bucket with the latest last step), so levels are maintained incrementally as points arrive,
 * and the answer is the same as from the points.
 */
final class Rollups {

    private Rollups() {}

    /** The bucket widths, narrowest first. */
    static final int[] WIDTHS = {16, 64, 256, 1_024, 4_096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304,
        16_777_216};

    static int widest() {
        return WIDTHS[WIDTHS.length - 1];
    }

    /**
     * The level a query with buckets {@code width} steps wide reads: the widest no wider than twice the width (the
     * level nearest the width, by ratio), or 0 when even the narrowest is wider (read points only). Each bucket then
     * merges at most two cells, where the widest level no wider than the width read up to four (a zoom whose buckets
     * are 250 steps wide read 64-step cells; now 256-step ones, a quarter of the rows). The price: where the cells
     * are wider than a bucket (up to twice), some buckets stay empty, so an answer holds between half the buckets
     * asked for and all of them, each still exact.
     */
    static int levelFor(long width) {
        int chosen = 0;
        for (int w : WIDTHS) {
            if (w <= 2 * width) {
                chosen = w;
            }
        }
        return chosen;
    }

    /** The SQL VALUES rows (width) of the levels above the first, for the ingestion statement. */
    static String upperLevelsValues() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < WIDTHS.length; i++) {
            sb.append(i > 1 ? ", " : "").append('(').append(WIDTHS[i]).append(')');
        }
        return sb.toString();
    }

    /** One bucket's statistics; min and max leave NaN out and are NaN when every point is NaN. */
    record Cell(long keyId, int width, long bucketStart, long firstStep, long lastStep, int count, int nanCount,
            double min, double max, double last) {

        static Cell of(long keyId, int width, long step, double value) {
            boolean nan = Double.isNaN(value);
            return new Cell(keyId, width, step / width * width, step, step, 1, nan ? 1 : 0, value, value, value);
        }

        Cell merge(Cell o) {
            return new Cell(keyId, width, bucketStart, Math.min(firstStep, o.firstStep), Math.max(lastStep, o.lastStep),
                    count + o.count, nanCount + o.nanCount, minIgnoringNaN(min, o.min), maxIgnoringNaN(max, o.max),
                    o.lastStep > lastStep ? o.last : last);
        }
    }

    static double minIgnoringNaN(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
    }

    static double maxIgnoringNaN(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    /**
     * The cells of every level for points sorted by key then step: each cell merges the points of one bucket.
     * Ordered by key, width, bucket start.
     */
    static List<Cell> cells(long[] keyIds, long[] steps, double[] values, int n) {
        List<Cell> out = new ArrayList<>();
        int start = 0;
        while (start < n) {
            int end = start;
            while (end < n && keyIds[end] == keyIds[start]) {
                end++;
            }
            for (int width : WIDTHS) {
                Cell cell = null;
                for (int i = start; i < end; i++) {
                    Cell c = Cell.of(keyIds[i], width, steps[i], values[i]);
                    if (cell != null && cell.bucketStart() == c.bucketStart()) {
                        cell = cell.merge(c);
                    } else {
                        if (cell != null) {
                            out.add(cell);
                        }
                        cell = c;
                    }
                }
                if (cell != null) {
                    out.add(cell);
                }
            }
            start = end;
        }
        return out;
    }
}
