package dev.trainyard.worker.training;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How far a run has got: the loop's counters and loss accumulators, and how it ended if it has. A checkpoint holds
 * one, so a resumed run continues exactly where it stopped.
 *
 * @param step optimizer steps done
 * @param epoch epochs completed
 * @param batchInEpoch batches of the current epoch done
 * @param epochLossSum the current epoch's summed loss, over {@code epochLossCount} steps
 * @param logLossSum the summed loss since the last logged step, over {@code logLossCount} steps
 * @param endStatus null while the run goes on
 */
public record TrainingProgress(long step, int epoch, int batchInEpoch, double epochLossSum, long epochLossCount,
        double logLossSum, long logLossCount, TrainingResult.Status endStatus, String endMessage) {

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("epoch", epoch);
        m.put("batchInEpoch", batchInEpoch);
        m.put("epochLossSum", epochLossSum);
        m.put("epochLossCount", epochLossCount);
        m.put("logLossSum", logLossSum);
        m.put("logLossCount", logLossCount);
        m.put("endStatus", endStatus == null ? null : endStatus.name());
        m.put("endMessage", endMessage);
        return m;
    }

    static TrainingProgress from(CheckpointFields f) {
        String end = f.optionalString("endStatus");
        return new TrainingProgress(f.longValue("step"), f.intValue("epoch"), f.intValue("batchInEpoch"),
                f.doubleValue("epochLossSum"), f.longValue("epochLossCount"), f.doubleValue("logLossSum"),
                f.longValue("logLossCount"), end == null ? null : f.enumValue("endStatus", TrainingResult.Status.class),
                f.optionalString("endMessage"));
    }
}
