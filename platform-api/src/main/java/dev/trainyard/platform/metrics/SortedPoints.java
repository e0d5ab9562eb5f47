package dev.trainyard.platform.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A batch's points ready to store: key ids instead of names, ordered by key id then step, and each (key, step) once
 * (the first occurrence in the batch wins, as the first write wins in the table). Every writer takes locks in this
 * order, so two batches of one run never deadlock on each other.
 *
 * @param names key id to name, for the keys of the batch
 * @param timeMicros microseconds since the epoch of each point
 */
record SortedPoints(long[] keyIds, long[] steps, double[] values, long[] timeMicros, int size,
        Map<Long, String> names) {

    /** Sorts and de-duplicates a batch; points without a time get {@code nowMicros}. */
    static SortedPoints of(MetricBatch batch, Map<String, Long> ids, long nowMicros) {
        int n = batch.size();
        List<String> keyNames = batch.keyNames();
        long[] idOfKey = new long[keyNames.size()];
        Map<Long, String> names = new java.util.HashMap<>();
        for (int k = 0; k < idOfKey.length; k++) {
            idOfKey[k] = ids.get(keyNames.get(k));
            names.put(idOfKey[k], keyNames.get(k));
        }
        // the keys in id order; then a stable counting sort of the points by key, then by step within a key
        Integer[] keyOrder = new Integer[idOfKey.length];
        for (int k = 0; k < keyOrder.length; k++) {
            keyOrder[k] = k;
        }
        Arrays.sort(keyOrder, Comparator.comparingLong(k -> idOfKey[k]));
        int[] rank = new int[idOfKey.length];
        for (int r = 0; r < keyOrder.length; r++) {
            rank[keyOrder[r]] = r;
        }
        int[] offsets = new int[idOfKey.length + 1];
        for (int i = 0; i < n; i++) {
            offsets[rank[batch.key(i)] + 1]++;
        }
        for (int r = 0; r < idOfKey.length; r++) {
            offsets[r + 1] += offsets[r];
        }
        int[] order = new int[n];
        int[] fill = Arrays.copyOf(offsets, offsets.length);
        for (int i = 0; i < n; i++) {
            order[fill[rank[batch.key(i)]]++] = i;
        }
        for (int r = 0; r < idOfKey.length; r++) {
            sortByStep(order, offsets[r], offsets[r + 1], batch);
        }
        long[] keyIds = new long[n];
        long[] steps = new long[n];
        double[] values = new double[n];
        long[] times = new long[n];
        int m = 0;
        for (int j = 0; j < n; j++) {
            int i = order[j];
            long keyId = idOfKey[batch.key(i)];
            long step = batch.step(i);
            if (m > 0 && keyIds[m - 1] == keyId && steps[m - 1] == step) {
                continue; // a repeat within the batch: the first one stays
            }
            keyIds[m] = keyId;
            steps[m] = step;
            values[m] = batch.value(i);
            long t = batch.time(i);
            times[m] = t == MetricBatch.NO_TIME ? nowMicros : t;
            m++;
        }
        return new SortedPoints(keyIds, steps, values, times, m, names);
    }

    /** Sorts order[from, to) by step, keeping equal steps in batch order; a no-op for the usual ascending steps. */
    private static void sortByStep(int[] order, int from, int to, MetricBatch batch) {
        boolean sorted = true;
        for (int j = from + 1; j < to && sorted; j++) {
            sorted = batch.step(order[j - 1]) <= batch.step(order[j]);
        }
        if (sorted) {
            return;
        }
        Integer[] slice = new Integer[to - from];
        for (int j = from; j < to; j++) {
            slice[j - from] = order[j];
        }
        Arrays.sort(slice, Comparator.<Integer>comparingLong(batch::step).thenComparingInt(i -> i));
        for (int j = from; j < to; j++) {
            order[j] = slice[j - from];
        }
    }

    /** The arrays cut to size, for drivers that bind whole arrays. */
    long[] keyIdsExact() {
        return keyIds.length == size ? keyIds : Arrays.copyOf(keyIds, size);
    }

    long[] stepsExact() {
        return steps.length == size ? steps : Arrays.copyOf(steps, size);
    }

    double[] valuesExact() {
        return values.length == size ? values : Arrays.copyOf(values, size);
    }

    long[] timesExact() {
        return timeMicros.length == size ? timeMicros : Arrays.copyOf(timeMicros, size);
    }
}
