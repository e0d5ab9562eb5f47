package dev.trainyard.platform.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.PGStatement;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The run list at 100,000 runs in one project: PostgreSQL's plan for each kind of list query reads indexes and
 * stops at the page size, never scanning a table whole. Only the plan is asserted; how fast it is belongs in bench/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunListPlanTest extends IntegrationTest {

    private static final int RUNS = 100_000;
    private static final List<String> TABLES = List.of("runs", "run_params", "run_tags", "run_metric_summaries");

    @Autowired
    private DataSource dataSource;

    private TestUser alice;
    private long project;

    private void seed() {
        if (alice != null) {
            return;
        }
        alice = newUser("alice");
        project = newProject(alice);
        jdbc.sql("""
                INSERT INTO runs (project_id, name, spec, status, labels, created_by, created_at, queued_at, updated_at)
                SELECT :p, 'seed-' || g,
                       '{"dataset": {"name": "fashion-mnist"}, "model": {"builtin": "mlp"},
                        "optimizer": {"type": "adam"}, "epochs": 1}',
                       CASE WHEN g % 10 = 0 THEN 'FAILED' WHEN g % 10 = 1 THEN 'QUEUED' ELSE 'SUCCEEDED' END,
                       '{}', :u, ts, ts, ts
                FROM generate_series(1, :n) AS g,
                     LATERAL (SELECT TIMESTAMPTZ '2026-01-01' + g * INTERVAL '1 second' AS ts) AS t""")
                .param("p", project).param("u", alice.id()).param("n", RUNS).update();
        // lr from 1e-1 down to about 1e-5 (a log sweep), an optimizer name, a tag on every 7th run
        jdbc.sql("""
                INSERT INTO run_params (run_id, name, project_id, value_type, num_value, text_value)
                SELECT id, 'lr', project_id, 'number', lr, CAST(lr AS VARCHAR)
                FROM (SELECT id, project_id, power(10, -1 - (id % 40) / 10.0) AS lr FROM runs WHERE project_id = :p) x
                """).param("p", project).update();
        jdbc.sql("""
                INSERT INTO run_params (run_id, name, project_id, value_type, num_value, text_value)
                SELECT id, 'optimizer', project_id, 'string', NULL, CASE WHEN id % 3 = 0 THEN 'sgd' ELSE 'adam' END
                FROM runs WHERE project_id = :p""").param("p", project).update();
        jdbc.sql("INSERT INTO run_tags (run_id, tag, project_id) SELECT id, 'sweep', project_id FROM runs"
                + " WHERE project_id = :p AND id % 7 = 0").param("p", project).update();
        jdbc.sql("""
                INSERT INTO run_metric_summaries (run_id, name, project_id, last_value, last_step, min_value, max_value)
                SELECT id, 'test_acc', project_id, v, 1000, v / 2, v
                FROM (SELECT id, project_id, 0.5 + 0.5 * ((id * 7919) % 10007) / 10007.0 AS v FROM runs
                      WHERE project_id = :p) x""").param("p", project).update();
        for (String table : TABLES) {
            jdbc.sql("ANALYZE " + table).update();
        }
    }

    @Test
    void filteredBySlowParamAndSortedByMetricWalksTheMetricIndex() {
        seed();
        Plan plan = explain("param.lr<0.01", "", "sort", "metric.test_acc,desc");
        plan.assertNoSeqScan();
        assertThat(plan.indexes()).as(plan.toString()).contains("run_metric_summaries_last_desc_idx");
        Plan ascending = explain("param.lr<0.01", "", "sort", "metric.test_acc,asc");
        ascending.assertNoSeqScan();
        assertThat(ascending.indexes()).as(ascending.toString()).contains("run_metric_summaries_last_idx");

        // and the answer is right: the 50 best runs with lr < 0.01, best first
        List<Long> expected = jdbc.sql("""
                SELECT m.run_id FROM run_metric_summaries m JOIN run_params p ON p.run_id = m.run_id AND p.name = 'lr'
                WHERE m.project_id = ? AND m.name = 'test_acc' AND p.num_value < 0.01
                ORDER BY m.last_value DESC, m.run_id DESC LIMIT 50""").param(project).query(Long.class).list();
        Api.Response page = api.get("/api/v1/projects/" + project + "/runs?param.lr<0.01&sort=metric.test_acc,desc",
                alice.token());
        List<Long> got = new ArrayList<>();
        page.json().get("items").forEach(i -> got.add(i.get("id").longValue()));
        assertThat(got).containsExactlyElementsOf(expected);
        assertThat(page.json().get("nextCursor").isNull()).isFalse();
    }

    @Test
    void theNextPageSeeksTheIndexFromTheCursor() {
        seed();
        String cursor = api.get("/api/v1/projects/" + project + "/runs?sort=metric.test_acc,desc&limit=100",
                alice.token()).json().get("nextCursor").stringValue();
        Plan plan = explain("sort", "metric.test_acc,desc", "cursor", cursor);
        plan.assertNoSeqScan();
        assertThat(plan.indexes()).as(plan.toString()).contains("run_metric_summaries_last_desc_idx");
        assertThat(plan.json().toString()).as(plan.toString()).contains("Index Cond");
    }

    @Test
    void newestFirstWithAStatusFilterReadsTheRunsIndexes() {
        seed();
        Plan plan = explain("status", "FAILED");
        plan.assertNoSeqScan();
        assertThat(plan.indexes()).as(plan.toString()).containsAnyOf("runs_project_status_created_idx",
                "runs_project_created_idx");
    }

    @Test
    void sortedByAParamWalksTheParamIndex() {
        seed();
        Plan plan = explain("sort", "param.lr,asc", "param.optimizer=sgd", "");
        plan.assertNoSeqScan();
        assertThat(plan.indexes()).as(plan.toString()).contains("run_params_num_idx");
    }

    @Test
    void sortedByANumericParamReadsItsIndexInOrderAndStopsAtThePage() {
        seed();
        for (String sort : List.of("param.lr,asc", "param.lr,desc")) {
            Plan plan = explain("sort", sort);
            plan.assertNoSeqScan();
            plan.assertNoSort();
            assertThat(plan.json().path("Node Type").stringValue("")).as(plan.toString()).isEqualTo("Limit");
            assertThat(plan.indexes()).as(plan.toString()).contains("run_params_num_idx");
        }
        // every run has a number for lr: the first page is the 50 smallest, and there are more
        List<Long> expected = jdbc.sql("""
                SELECT run_id FROM run_params WHERE project_id = ? AND name = 'lr'
                ORDER BY num_value, run_id LIMIT 50""").param(project).query(Long.class).list();
        Api.Response page = api.get("/api/v1/projects/" + project + "/runs?sort=param.lr,asc", alice.token());
        List<Long> got = new ArrayList<>();
        page.json().get("items").forEach(i -> got.add(i.get("id").longValue()));
        assertThat(got).containsExactlyElementsOf(expected);
        assertThat(page.json().get("nextCursor").isNull()).isFalse();
    }

    @Test
    void sortedByAStringParamReadsTheTextIndexInOrder() {
        seed();
        for (String sort : List.of("param.optimizer,asc", "param.optimizer,desc")) {
            RunQuery query = query("sort", sort);
            Plan plan = explain(RunSearchRepository.build(query, RunSearchRepository.Part.TEXTS, query.limit()));
            plan.assertNoSeqScan();
            plan.assertNoSort();
            assertThat(plan.indexes()).as(plan.toString()).contains("run_params_text_idx");
        }
    }

    @Test
    void aHundredIdsAsTheComparePageAsksForThemReadTheRunsByPrimaryKey() {
        seed();
        // 100 runs spread over the whole project, newest first with a page of exactly 100, as the compare page asks
        List<Long> ids = jdbc.sql("SELECT id FROM runs WHERE project_id = ? ORDER BY id").param(project)
                .query(Long.class).list().stream().filter(id -> id % 997 == 0).limit(100).toList();
        assertThat(ids).hasSize(100);
        String idParam = ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        Plan plan = explain("id", idParam, "limit", "100");
        plan.assertNoSeqScan();
        assertThat(plan.indexes()).as(plan.toString()).contains("runs_pkey");
        assertThat(plan.indexes()).as(plan.toString()).doesNotContain("runs_project_created_idx");
        Plan byMetric = explain("id", idParam, "limit", "100", "sort", "metric.test_acc,desc");
        byMetric.assertNoSeqScan();
        assertThat(byMetric.indexes()).as(byMetric.toString()).contains("runs_pkey");

        // and the answer is every one of them, newest first
        Api.Response page = api.get("/api/v1/projects/" + project + "/runs?limit=100&id=" + idParam, alice.token());
        List<Long> got = new ArrayList<>();
        page.json().get("items").forEach(i -> got.add(i.get("id").longValue()));
        assertThat(got).containsExactlyElementsOf(ids.reversed());
    }

    @Test
    void metricAndTagFiltersUseIndexes() {
        seed();
        explain("metric.test_acc>0.99", "").assertNoSeqScan();
        explain("tag", "sweep", "param.lr<0.001", "").assertNoSeqScan();
    }

    @Test
    void deletingAClonedRunFindsItsClonesThroughTheIndex() throws Exception {
        seed();
        String runs = "/api/v1/projects/" + project + "/runs";
        long original = submitRun(project, alice, runBody()).get("id").longValue();
        long clone = api.post(runs + "/" + original + "/clone", alice.token(), Map.of()).json().get("id").longValue();
        assertThat(api.delete(runs + "/" + original, alice.token()).status()).isEqualTo(204);
        JsonNode kept = api.get(runs + "/" + clone, alice.token()).json();
        assertThat(kept.get("clonedFrom").isNull()).as(kept.toString()).isTrue();

        // ON DELETE SET NULL runs inside PostgreSQL, where EXPLAIN does not show it: count the index's scans instead,
        // on one connection so that its statistics can be flushed before they are read
        long source = submitRun(project, alice, runBody()).get("id").longValue();
        long sourceClone = api.post(runs + "/" + source + "/clone", alice.token(), Map.of()).json().get("id")
                .longValue();
        try (Connection c = dataSource.getConnection(); var statement = c.createStatement()) {
            c.setAutoCommit(true);
            long before = clonedFromIndexScans(statement);
            assertThat(statement.executeUpdate("DELETE FROM runs WHERE id = " + source)).isEqualTo(1);
            statement.execute("SELECT pg_stat_force_next_flush()");
            assertThat(clonedFromIndexScans(statement)).isGreaterThan(before);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM runs WHERE id = ? AND cloned_from IS NULL").param(sourceClone)
                .query(Long.class).single()).isEqualTo(1L);
    }

    private static long clonedFromIndexScans(java.sql.Statement statement) throws java.sql.SQLException {
        statement.execute("SELECT pg_stat_clear_snapshot()");
        try (var rs = statement.executeQuery(
                "SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = 'runs_cloned_from_idx'")) {
            assertThat(rs.next()).as("runs_cloned_from_idx exists").isTrue();
            return rs.getLong(1);
        }
    }

    @Test
    void theDriverPlansTheListStatementForItsValues() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement("SELECT 1")) {
            PGStatement pg = statement.unwrap(PGStatement.class);
            assertThat(pg.getPrepareThreshold()).as("the driver's default").isEqualTo(5);
            RunSearchRepository.planForTheValues(statement);
            assertThat(pg.getPrepareThreshold()).as("0: never a server-side prepared statement").isZero();
        }
    }

    /** EXPLAIN of the statement the API runs for these query parameters (name, value pairs). */
    private Plan explain(String... nameValues) {
        return explain(RunSearchRepository.build(query(nameValues)));
    }

    private RunQuery query(String... nameValues) {
        Map<String, String[]> parameters = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            parameters.put(nameValues[i], new String[] {nameValues[i + 1]});
        }
        return RunQuery.parse(project, parameters);
    }

    private Plan explain(RunSearchRepository.Sql sql) {
        String json = jdbc.sql("EXPLAIN (FORMAT JSON) " + sql.sql()).params(sql.args()).query(String.class).single();
        return new Plan(Api.JSON.readTree(json).get(0).get("Plan"), sql.sql());
    }

    record Plan(JsonNode json, String sql) {

        List<String> indexes() {
            List<String> out = new ArrayList<>();
            json.findValues("Index Name").forEach(n -> out.add(n.stringValue()));
            return out;
        }

        void assertNoSeqScan() {
            List<String> seqScans = new ArrayList<>();
            collect(json, seqScans);
            assertThat(seqScans).as("sequential scans in\n" + this).isEmpty();
        }

        /** No Sort node: the rows come in the index's order, so the Limit stops the scan at the page. */
        void assertNoSort() {
            assertThat(json.findValues("Node Type")).extracting(JsonNode::stringValue).as(toString())
                    .doesNotContain("Sort", "Incremental Sort");
        }

        private static void collect(JsonNode node, List<String> seqScans) {
            if (node.path("Node Type").stringValue("").equals("Seq Scan")
                    && TABLES.contains(node.path("Relation Name").stringValue(""))) {
                seqScans.add(node.path("Relation Name").stringValue(""));
            }
            node.path("Plans").forEach(child -> collect(child, seqScans));
        }

        @Override
        public String toString() {
            return sql + "\n" + json.toPrettyString();
        }
    }
}
