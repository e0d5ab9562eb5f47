package dev.trainyard.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.web.Times;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The claim at 40,000 runs (5,000 queued): PostgreSQL walks the partial queue index in queue order and stops at the
 * first run it can lock, never scanning the runs table. Only the plan is asserted; bench/leases measures the speed.
 */
class ClaimPlanTest extends SchedulingTest {

    @Test
    void theClaimWalksTheQueueIndex() {
        TestUser alice = newUser("alice");
        long project = newProject(alice);
        jdbc.sql("""
                INSERT INTO runs (project_id, name, spec, status, cpus, gpus, memory_mb, labels, created_by, priority)
                SELECT :p, 'seed-' || g, CAST('{}' AS jsonb),
                       CASE WHEN g % 8 = 0 THEN 'QUEUED' ELSE 'SUCCEEDED' END, 1, g % 3, 1024,
                       CAST(CASE WHEN g % 5 = 0 THEN '{"gpu": "a100"}' ELSE '{}' END AS jsonb), :u, g % 4
                FROM generate_series(1, 40000) AS g""")
                .param("p", project).param("u", alice.id()).update();
        jdbc.sql("ANALYZE runs").update();
        jdbc.sql("ANALYZE project_run_limits").update();

        List<String> plan = jdbc.sql("EXPLAIN " + PostgresQueueDialect.CLAIM)
                .param("now", Sql.ts(Times.now())).param("cpus", 8).param("memory", 65536).param("gpus", 1)
                .param("labels", "{\"gpu\": \"a100\"}").param("excluded", List.of(-1L)).param("worker", "w")
                .param("leaseExpiresAt", Sql.ts(Times.now().plusSeconds(20))).param("freeGpus", "{0}")
                .query(String.class).list();
        String text = String.join("\n", plan);
        assertThat(text).as(text).contains("runs_queue_idx").contains("LockRows").doesNotContain("Seq Scan on runs");
    }
}
