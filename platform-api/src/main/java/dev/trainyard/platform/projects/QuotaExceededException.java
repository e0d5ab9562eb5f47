package dev.trainyard.platform.projects;

import dev.trainyard.platform.web.ApiException;
import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A write that would take a project over one of its quotas. Rendered by {@link QuotaProblemHandler} as problem+json
 * with the quota, its limit, what the project uses and what the write asked for as extension members.
 */
public class QuotaExceededException extends ApiException {

    private final transient Quota quota;
    private final long limit;
    private final long used;
    private final long requested;

    QuotaExceededException(HttpStatus status, Quota quota, long projectId, long limit, long used, long requested,
            String what) {
        super(status, "project " + projectId + " " + quota.describe(used, limit) + "; " + what + " would add "
                + requested + " more. Delete some, or ask a site admin to raise the quota (PUT /api/v1/projects/"
                + projectId + "/quotas)", List.of());
        this.quota = quota;
        this.limit = limit;
        this.used = used;
        this.requested = requested;
    }

    public Quota quota() {
        return quota;
    }

    public long limit() {
        return limit;
    }

    public long used() {
        return used;
    }

    public long requested() {
        return requested;
    }

    /** The quotas, by their names in requests, responses and problems. */
    public enum Quota {
        METRIC_KEYS("metricKeys", "metric keys"), ARTIFACT_BYTES("artifactBytes", "bytes of checkpoints and datasets");

        private final String wireName;
        private final String unit;

        Quota(String wireName, String unit) {
            this.wireName = wireName;
            this.unit = unit;
        }

        public String wireName() {
            return wireName;
        }

        String describe(long used, long limit) {
            return "has " + used + " " + unit + " of its quota of " + limit;
        }
    }
}
