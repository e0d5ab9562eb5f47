package dev.trainyard.platform.metrics;

import dev.trainyard.platform.metrics.MetricRecords.Bucket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One series' output buckets, filled part by part (rollup cells and points) in any order: every statistic merges
 * order-free (min of mins, max of maxes, sums, and the last value of the part with the highest last step).
 */
final class BucketSums {

    private final long[] firstStep;
    private final long[] lastStep;
    private final long[] count;
    private final long[] nanCount;
    private final double[] min;
    private final double[] max;
    private final double[] last;

    BucketSums(int slots) {
        firstStep = new long[slots];
        lastStep = new long[slots];
        count = new long[slots];
        nanCount = new long[slots];
        min = new double[slots];
        max = new double[slots];
        last = new double[slots];
        Arrays.fill(min, Double.NaN);
        Arrays.fill(max, Double.NaN);
    }

    /** Adds a part to slot {@code b}; {@code lo} and {@code hi} are NaN when every value of the part is. */
    void add(int b, long partFirst, long partLast, long partCount, long partNans, double lo, double hi,
            double partLastValue) {
        if (count[b] == 0) {
            firstStep[b] = partFirst;
            lastStep[b] = partLast;
            last[b] = partLastValue;
        } else {
            firstStep[b] = Math.min(firstStep[b], partFirst);
            if (partLast > lastStep[b]) {
                lastStep[b] = partLast;
                last[b] = partLastValue;
            }
        }
        count[b] += partCount;
        nanCount[b] += partNans;
        min[b] = Rollups.minIgnoringNaN(min[b], lo);
        max[b] = Rollups.maxIgnoringNaN(max[b], hi);
    }

    /** The buckets that hold points, in step order. */
    List<Bucket> buckets() {
        List<Bucket> out = new ArrayList<>();
        for (int b = 0; b < count.length; b++) {
            if (count[b] > 0) {
                out.add(new Bucket(firstStep[b], lastStep[b], count[b], nanCount[b], min[b], max[b], last[b]));
            }
        }
        return out;
    }
}
