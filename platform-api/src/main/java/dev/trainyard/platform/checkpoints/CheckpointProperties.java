package dev.trainyard.platform.checkpoints;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code trainyard.checkpoints.*}.
 *
 * @param maxSize the largest checkpoint an upload may send (413 beyond); uploads stream, so this bounds the store,
 *     not memory. Other requests keep {@code trainyard.max-request-size}.
 * @param retention which checkpoints of a run the platform keeps when neither the run's spec nor its experiment
 *     says
 * @param minInterval the least time between two stored checkpoints of one run uploaded by its worker; a periodic
 *     checkpoint sooner is refused with 429 (the worker skips it), a final one ({@code final=true}) never is.
 *     0 turns the guard off.
 */
@ConfigurationProperties("trainyard.checkpoints")
public record CheckpointProperties(@DefaultValue("10GB") DataSize maxSize, @DefaultValue Retention retention,
        @DefaultValue("10s") Duration minInterval) {

    /**
     * The platform's default retention.
     *
     * @param keepLast the most recently uploaded checkpoints to keep; 0 keeps every checkpoint
     * @param keepBestMetric also keep the checkpoint with the best value of this metric (none by default)
     * @param keepBestMode whether that best is the lowest ({@code min}) or highest ({@code max}) value
     */
    public record Retention(@DefaultValue("5") int keepLast, String keepBestMetric, BestMode keepBestMode) {

        public Retention {
            if (keepLast < 0) {
                throw new IllegalArgumentException("trainyard.checkpoints.retention.keep-last must be 0 (keep every "
                        + "checkpoint) or more, not " + keepLast);
            }
            if ((keepBestMetric == null) != (keepBestMode == null)) {
                throw new IllegalArgumentException("trainyard.checkpoints.retention.keep-best-metric and "
                        + "keep-best-mode go together: set both or neither");
            }
        }

        /** The policy, or null when every checkpoint is kept. */
        RetentionPolicy policy() {
            return keepLast == 0 ? null : new RetentionPolicy(keepLast, keepBestMetric, keepBestMode);
        }
    }
}
