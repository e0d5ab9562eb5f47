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
     * instead (an array per field, indexed alike), about half the bytes and far fewer JSON objects to parse.
     *
     * @param count the points in the range
     * @param buckets at most the requested number, in step order, empty ones left out (format objects only)
     * @param points the points themselves, when count is at most the requested number of buckets; else null
     *     (format objects only)
     * @param bucketColumns the same buckets as columns (format columns only)
     * @param pointColumns the same points as columns, when there are points (format columns only)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Series(long runId, String key, long count, List<Bucket> buckets, List<Point> points,
            BucketColumns bucketColumns, PointColumns pointColumns) {

        static Series of(long runId, String key, long count, List<Bucket> buckets, List<Point> points,
                boolean columns) {
            return columns
                    ? new Series(runId, key, count, null, null, BucketColumns.of(buckets),
                            points == null ? null : PointColumns.of(points))
                    : new Series(runId, key, count, buckets, points, null, null);
        }
    }

    /** Buckets as columns: element i of every array is bucket i (fields as in {@link Bucket}). */
    public record BucketColumns(long[] stepStart, long[] stepEnd, long[] count, long[] nanCount, double[] min,
            double[] max, double[] last) {

        static BucketColumns of(List<Bucket> buckets) {
            int n = buckets.size();
            BucketColumns c = new BucketColumns(new long[n], new long[n], new long[n], new long[n], new double[n],
                    new double[n], new double[n]);
            for (int i = 0; i < n; i++) {
                Bucket b = buckets.get(i);
                c.stepStart[i] = b.stepStart();
                c.stepEnd[i] = b.stepEnd();
                c.count[i] = b.count();
                c.nanCount[i] = b.nanCount();
                c.min[i] = b.min();
                c.max[i] = b.max();
                c.last[i] = b.last();
            }
            return c;
        }
    }

    /**
     * Points as columns.
     *
     * @param timeMicros each point's wall time in microseconds since the epoch (exact in a JavaScript number)
     */
    public record PointColumns(long[] step, double[] value, long[] timeMicros) {

        static PointColumns of(List<Point> points) {
            int n = points.size();
            PointColumns c = new PointColumns(new long[n], new double[n], new long[n]);
            for (int i = 0; i < n; i++) {
                Point p = points.get(i);
                c.step[i] = p.step();
                c.value[i] = p.value();
                c.timeMicros[i] = p.time().getEpochSecond() * 1_000_000L + p.time().getNano() / 1_000;
            }
            return c;
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
