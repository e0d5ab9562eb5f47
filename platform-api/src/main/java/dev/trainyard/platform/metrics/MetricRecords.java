package dev.trainyard.platform.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Responses of the metric endpoints. Values are JSON numbers, except NaN, Infinity and -Infinity, which JSON
 * cannot write: they are the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}, as ingestion
 * accepts them.
 */
public final class MetricRecords {

    private MetricRecords() {}

    /**
     * What a batch did.
     *
     * @param received the points in the request
     * @param inserted those that were new
     * @param duplicates those whose (key, step) was already stored, or repeated in the batch: nothing was written
     *     for them (a retried batch answers inserted 0)
     */
    public record IngestResponse(int received, int inserted, int duplicates) {}

    /**
     * A query's answer.
     *
     * @param fromStep the range's first step (the request's fromStep, else the series' lowest step)
     * @param toStep the range's last step
     * @param bucketWidth the width in steps of each bucket's slot: bucket b holds steps whose part starts in
     *     [fromStep + b * bucketWidth, fromStep + (b + 1) * bucketWidth)
     * @param series one per requested run and key, in the order asked (runs, then keys)
     */
    public record SeriesQueryResponse(Long fromStep, Long toStep, Long bucketWidth, List<Series> series) {}

    /**
     * One run's points of one key in the range, downsampled. In the default format ({@code objects}) the buckets and
     * points are lists of objects; with {@code format=columns} they are {@code bucketColumns} and {@code pointColumns}
     * instead (an array per field, indexed alike), about half the bytes and far fewer JSON objects to parse; with
     * {@code format=chart}, columns of what a chart draws only, its values at 32-bit float precision.
     *
     * @param count the points in the range
     * @param buckets at most the requested number, in step order, empty ones left out (format objects only)
     * @param points the points themselves, when count is at most the requested number of buckets; else null
     *     (format objects only)
     * @param bucketColumns the same buckets as columns (formats columns and chart)
     * @param pointColumns the same points as columns, when there are points (formats columns and chart)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Series(long runId, String key, long count, List<Bucket> buckets, List<Point> points,
            BucketColumns bucketColumns, PointColumns pointColumns) {

        static Series of(long runId, String key, long count, List<Bucket> buckets, List<Point> points,
                Format format) {
            return switch (format) {
                case OBJECTS -> new Series(runId, key, count, buckets, points, null, null);
                case COLUMNS -> new Series(runId, key, count, null, null, BucketColumns.of(buckets),
                        points == null ? null : PointColumns.of(points, false));
                case CHART -> new Series(runId, key, count, null, null, BucketColumns.forChart(buckets),
                        points == null ? null : PointColumns.of(points, true));
            };
        }
    }

    /** How a series query's answer is written (its {@code format} parameter). */
    public enum Format {
        /** buckets and points as lists of objects (the default) */
        OBJECTS,
        /** buckets and points as an array per field */
        COLUMNS,
        /**
         * as columns, only the fields a chart draws (buckets: stepEnd, min, max, last; points: step, value,
         * timeMicros), values at 32-bit float precision: about half the bytes of columns
         */
        CHART;

        /** The format named by the request's parameter (lower case), or null when there is none by that name. */
        static Format named(String name) {
            for (Format f : values()) {
                if (f.name().toLowerCase(java.util.Locale.ROOT).equals(name)) {
                    return f;
                }
            }
            return null;
        }
    }

    /**
     * Buckets as columns: element i of every array is bucket i (fields as in {@link Bucket}). In format chart only
     * stepEnd, min, max and last.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BucketColumns(long[] stepStart, long[] stepEnd, long[] count, long[] nanCount, ValueColumn min,
            ValueColumn max, ValueColumn last) {

        static BucketColumns of(List<Bucket> buckets) {
            int n = buckets.size();
            long[] stepStart = new long[n];
            long[] stepEnd = new long[n];
            long[] count = new long[n];
            long[] nanCount = new long[n];
            double[] min = new double[n];
            double[] max = new double[n];
            double[] last = new double[n];
            for (int i = 0; i < n; i++) {
                Bucket b = buckets.get(i);
                stepStart[i] = b.stepStart();
                stepEnd[i] = b.stepEnd();
                count[i] = b.count();
                nanCount[i] = b.nanCount();
                min[i] = b.min();
                max[i] = b.max();
                last[i] = b.last();
            }
            return new BucketColumns(stepStart, stepEnd, count, nanCount, new ValueColumn(min, false),
                    new ValueColumn(max, false), new ValueColumn(last, false));
        }

        static BucketColumns forChart(List<Bucket> buckets) {
            int n = buckets.size();
            long[] stepEnd = new long[n];
            double[] min = new double[n];
            double[] max = new double[n];
            double[] last = new double[n];
            for (int i = 0; i < n; i++) {
                Bucket b = buckets.get(i);
                stepEnd[i] = b.stepEnd();
                min[i] = b.min();
                max[i] = b.max();
                last[i] = b.last();
            }
            return new BucketColumns(null, stepEnd, null, null, new ValueColumn(min, true),
                    new ValueColumn(max, true), new ValueColumn(last, true));
        }
    }

    /**
     * Points as columns.
     *
     * @param timeMicros each point's wall time in microseconds since the epoch (exact in a JavaScript number)
     */
    public record PointColumns(long[] step, ValueColumn value, long[] timeMicros) {

        static PointColumns of(List<Point> points, boolean float32) {
            int n = points.size();
            long[] step = new long[n];
            double[] value = new double[n];
            long[] timeMicros = new long[n];
            for (int i = 0; i < n; i++) {
                Point p = points.get(i);
                step[i] = p.step();
                value[i] = p.value();
                timeMicros[i] = p.time().getEpochSecond() * 1_000_000L + p.time().getNano() / 1_000;
            }
            return new PointColumns(step, new ValueColumn(value, float32), timeMicros);
        }
    }

    /**
     * Consecutive points of a series, summarised.
     *
     * @param stepStart the first step it holds
     * @param stepEnd the last step it holds
     * @param count how many points
     * @param nanCount how many of them are NaN
     * @param min the lowest value, NaN left out (NaN when all are)
     * @param max the highest value, NaN left out (NaN when all are)
     * @param last the value at stepEnd
     */
    public record Bucket(long stepStart, long stepEnd, long count, long nanCount, double min, double max,
            double last) {}

    public record Point(long step, double value, Instant time) {}

    /**
     * A key's summary in a run: its latest value and step, lowest and highest value (NaN left out; NaN when every
     * value is).
     */
    public record KeySummary(String key, double last, long step, double min, double max, Instant updatedAt) {}

    /** One run's summaries, by key. */
    public record RunSummaries(long runId, Map<String, KeySummary> metrics) {}
}
