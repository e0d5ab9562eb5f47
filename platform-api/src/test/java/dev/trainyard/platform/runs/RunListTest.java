package dev.trainyard.platform.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.runs.RunRecords.RunSummary;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.web.ItemList;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RunListTest extends RunListTesting {

    @BeforeEach
    void seed() {
        // r1 .. r6
        run(0.1, "sgd", List.of("a"), 0.80, "QUEUED");
        run(0.01, "adam", List.of("a", "b"), 0.95, "SUCCEEDED");
        run(0.001, "adam", List.of("b"), 0.90, "FAILED");
        run(0.005, "adam", List.of("a", "b"), 0.97, "SUCCEEDED");
        run(0.0001, "sgd", List.of(), null, "CANCELLED");
        run(0.05, "adamw", List.of(), 0.85, "QUEUED");
    }

    private void run(double lr, String optimizer, List<String> tags, Double acc, String status) {
        Map<String, Object> body = with(runBody(), "params", Map.of("lr", lr, "optimizer", optimizer));
        body.put("tags", tags);
        long id = seedRun(body, status);
        if (acc != null) {
            jdbc.sql("INSERT INTO run_metric_summaries (run_id, name, project_id, last_value, last_step, min_value,"
                    + " max_value) VALUES (?, 'test_acc', ?, ?, 100, 0.1, ?)").param(id).param(project).param(acc)
                    .param(acc).update();
        }
    }

    @Test
    void newestFirstByDefault() {
        assertThat(ids("")).containsExactlyElementsOf(runs(6, 5, 4, 3, 2, 1));
        assertThat(ids("?sort=createdAt,asc")).containsExactlyElementsOf(runs(1, 2, 3, 4, 5, 6));
    }

    @Test
    void itemsCarryParamsTagsAndMetrics() {
        JsonNode item = api.get(runs + "?sort=metric.test_acc,desc&limit=1", alice.token()).json().get("items").get(0);
        assertThat(item.get("id").longValue()).isEqualTo(id(4));
        assertThat(item.get("params").get("lr").doubleValue()).isEqualTo(0.005);
        assertThat(item.get("tags")).extracting(JsonNode::stringValue).containsExactly("a", "b");
        assertThat(item.get("metrics").get("test_acc").get("last").doubleValue()).isEqualTo(0.97);
        assertThat(item.get("createdBy").stringValue()).isEqualTo(alice.username());
        assertThat(item.has("spec")).isFalse();
    }

    @Test
    void filtersByParamComparisons() {
        assertThat(ids("?param.lr<0.01")).containsExactlyElementsOf(runs(5, 4, 3));
        assertThat(ids("?param.lr<=0.01")).containsExactlyElementsOf(runs(5, 4, 3, 2));
        assertThat(ids("?param.lr>=0.05")).containsExactlyElementsOf(runs(6, 1));
        assertThat(ids("?param.lr=0.01")).containsExactlyElementsOf(runs(2));
        assertThat(ids("?filter=param.lr%3C0.01")).containsExactlyElementsOf(runs(5, 4, 3));
        assertThat(ids("?param.optimizer=adam")).containsExactlyElementsOf(runs(4, 3, 2));
        assertThat(ids("?param.optimizer!=adam")).containsExactlyElementsOf(runs(6, 5, 1));
        assertThat(ids("?param.lr<0.01&param.optimizer=adam")).containsExactlyElementsOf(runs(4, 3));
        assertThat(ids("?param.missing>0")).isEmpty();
    }

    @Test
    void filtersByStatusTagExperimentAndMetric() {
        assertThat(ids("?status=SUCCEEDED")).containsExactlyElementsOf(runs(4, 2));
        assertThat(ids("?status=failed,cancelled")).containsExactlyElementsOf(runs(5, 3));
        assertThat(ids("?status=QUEUED&status=FAILED")).containsExactlyElementsOf(runs(6, 3, 1));
        assertThat(ids("?tag=a")).containsExactlyElementsOf(runs(4, 2, 1));
        assertThat(ids("?tag=a&tag=b")).containsExactlyElementsOf(runs(4, 2));
        assertThat(ids("?metric.test_acc>=0.9")).containsExactlyElementsOf(runs(4, 3, 2));
        assertThat(ids("?metric.test_acc>0.9&param.optimizer=adam&status=SUCCEEDED"))
                .containsExactlyElementsOf(runs(4, 2));

        long experiment = api.post("/api/v1/projects/" + project + "/experiments", alice.token(),
                Map.of("name", "e")).json().get("id").longValue();
        long inExperiment = submitRun(project, alice, with(runBody(), "experimentId", experiment)).get("id").longValue();
        assertThat(ids("?experimentId=" + experiment)).containsExactly(inExperiment);
    }

    @Test
    void sortsByMetricOrParam() {
        // r5 has no test_acc: it comes last either way
        assertThat(ids("?sort=metric.test_acc,desc")).containsExactlyElementsOf(runs(4, 2, 3, 6, 1, 5));
        assertThat(ids("?sort=metric.test_acc,asc")).containsExactlyElementsOf(runs(1, 6, 3, 2, 4, 5));
        assertThat(ids("?sort=metric.test_acc")).containsExactlyElementsOf(runs(4, 2, 3, 6, 1, 5));
        assertThat(ids("?sort=param.lr,asc")).containsExactlyElementsOf(runs(5, 3, 4, 2, 6, 1));
        assertThat(ids("?param.lr<0.01&sort=metric.test_acc,desc")).containsExactlyElementsOf(runs(4, 3, 5));
        assertThat(ids("?metric.test_acc>0.9&sort=metric.test_acc,desc")).containsExactlyElementsOf(runs(4, 2));
    }

    @Test
    void cursorsWalkEveryPageOnce() {
        for (String sort : List.of("createdAt,desc", "createdAt,asc", "metric.test_acc,desc", "metric.test_acc,asc",
                "param.lr,desc")) {
            List<Long> all = ids("?sort=" + sort);
            List<Long> walked = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Api.Response page = api.get(runs + "?limit=2&sort=" + sort + (cursor == null ? "" : "&cursor=" + cursor),
                        alice.token());
                assertThat(page.status()).as(page.toString()).isEqualTo(200);
                page.json().get("items").forEach(item -> walked.add(item.get("id").longValue()));
                JsonNode next = page.json().get("nextCursor");
                cursor = next.isNull() ? null : next.stringValue();
                pages++;
            } while (cursor != null);
            assertThat(walked).as(sort).containsExactlyElementsOf(all);
            assertThat(pages).as(sort).isEqualTo((all.size() + 1) / 2);
        }
    }

    @Test
    void metricTiesArePagedById() {
        jdbc.sql("UPDATE run_metric_summaries SET last_value = 0.5 WHERE project_id = ?").param(project).update();
        List<Long> all = ids("?sort=metric.test_acc,desc");
        assertThat(all).containsExactlyElementsOf(runs(6, 4, 3, 2, 1, 5));
        Api.Response first = api.get(runs + "?sort=metric.test_acc,desc&limit=3", alice.token());
        String cursor = first.json().get("nextCursor").stringValue();
        assertThat(ids("?sort=metric.test_acc,desc&limit=3&cursor=" + cursor)).containsExactlyElementsOf(runs(2, 1, 5));
    }

    @Test
    void nanMetricsSortLastInBothDirectionsAndArePagedById() {
        jdbc.sql("UPDATE run_metric_summaries SET last_value = ? WHERE run_id IN (?, ?)").param(Double.NaN)
                .param(id(1)).param(id(3)).update();
        assertThat(ids("?sort=metric.test_acc,desc")).containsExactlyElementsOf(runs(4, 2, 6, 3, 1, 5));
        assertThat(ids("?sort=metric.test_acc,asc")).containsExactlyElementsOf(runs(6, 2, 4, 1, 3, 5));
        // one run a page: the cursors cross from numbers to NaN, walk the NaN runs by id, then the run without it
        assertThat(walk("?sort=metric.test_acc,desc", 1)).containsExactlyElementsOf(runs(4, 2, 6, 3, 1, 5));
        assertThat(walk("?sort=metric.test_acc,asc", 1)).containsExactlyElementsOf(runs(6, 2, 4, 1, 3, 5));
    }

    @Test
    void runsWithoutTheMetricComeLastByCreationTimeAndArePagedOnce() {
        jdbc.sql("DELETE FROM run_metric_summaries WHERE run_id = ?").param(id(3)).update();
        // with test_acc: r1 0.80, r6 0.85, r2 0.95, r4 0.97; without: r3, r5
        List<Long> descending = runs(4, 2, 6, 1, 5, 3);
        List<Long> ascending = runs(1, 6, 2, 4, 3, 5);
        assertThat(ids("?sort=metric.test_acc,desc")).containsExactlyElementsOf(descending);
        assertThat(ids("?sort=metric.test_acc,asc")).containsExactlyElementsOf(ascending);
        for (int limit = 1; limit <= 6; limit++) {
            assertThat(walk("?sort=metric.test_acc,desc", limit)).as("limit " + limit)
                    .containsExactlyElementsOf(descending);
            assertThat(walk("?sort=metric.test_acc,asc", limit)).as("limit " + limit)
                    .containsExactlyElementsOf(ascending);
        }
        // filters apply to both parts
        assertThat(ids("?tag=b&sort=metric.test_acc,asc")).containsExactlyElementsOf(runs(2, 4, 3));
        assertThat(ids("?status=FAILED,CANCELLED&sort=metric.test_acc,desc")).containsExactlyElementsOf(runs(5, 3));
        assertThat(ids("?sort=metric.missing,asc")).containsExactlyElementsOf(runs(1, 2, 3, 4, 5, 6));
        assertThat(walk("?sort=metric.missing,desc", 4)).containsExactlyElementsOf(runs(6, 5, 4, 3, 2, 1));
    }

    @Test
    void aPageSortedByAMetricReadsBothOfItsStatementsFromOneSnapshot() {
        // r5 gains test_acc after the statement for the runs with it and before the one for the runs without it
        RunService service = runService(statement -> {
            if (statement == 1) {
                // another connection, committed at once
                CompletableFuture.runAsync(() -> jdbc.sql("INSERT INTO run_metric_summaries (run_id, name,"
                        + " project_id, last_value, last_step, min_value, max_value) VALUES (?, 'test_acc', ?,"
                        + " 0.99, 100, 0.99, 0.99)").params(id(5), project).update()).join();
            }
        });

        ItemList<RunSummary> page = service.list(aliceAsAdmin(), project,
                Map.of("sort", new String[] {"metric.test_acc,desc"}));

        // as of the page's snapshot r5 has no test_acc: last, without it, rather than on neither side
        assertThat(page.items()).extracting(RunSummary::id).containsExactlyElementsOf(runs(4, 2, 3, 6, 1, 5));
        assertThat(page.items().getLast().metrics()).doesNotContainKey("test_acc");
        // the write did happen: the next listing has r5 first
        assertThat(ids("?sort=metric.test_acc,desc")).containsExactlyElementsOf(runs(5, 4, 2, 3, 6, 1));
    }

    @Test
    void aNanMetricMatchesOnlyNotEqual() {
        // r1's test_acc is NaN, r5 has none; the others are r2 0.95, r3 0.90, r4 0.97, r6 0.85
        jdbc.sql("UPDATE run_metric_summaries SET last_value = ? WHERE run_id = ?").param(Double.NaN).param(id(1))
                .update();
        assertThat(ids("?metric.test_acc>0.9")).containsExactlyElementsOf(runs(4, 2));
        assertThat(ids("?metric.test_acc>=0.9")).containsExactlyElementsOf(runs(4, 3, 2));
        assertThat(ids("?metric.test_acc>0")).containsExactlyElementsOf(runs(6, 4, 3, 2));
        assertThat(ids("?metric.test_acc<0.9")).containsExactlyElementsOf(runs(6));
        assertThat(ids("?metric.test_acc<=0.9")).containsExactlyElementsOf(runs(6, 3));
        assertThat(ids("?metric.test_acc=0.9")).containsExactlyElementsOf(runs(3));
        assertThat(ids("?metric.test_acc!=0.9")).containsExactlyElementsOf(runs(6, 4, 2, 1));
    }

    @Test
    void listsTheRunsOfGivenIdsInOneRequest() {
        long elsewhere = submitRun(newProject(alice), alice, runBody()).get("id").longValue();
        assertThat(ids("?id=" + id(2) + "," + id(5) + "&id=" + id(3))).containsExactlyElementsOf(runs(5, 3, 2));
        // another project's run, or no run at all, matches nothing; the other filters still apply
        assertThat(ids("?id=" + id(1) + "," + elsewhere + ",999999999")).containsExactlyElementsOf(runs(1));
        assertThat(ids("?id=" + id(2) + "," + id(3) + "&status=FAILED")).containsExactlyElementsOf(runs(3));
        assertThat(ids("?id=" + id(4) + "," + id(2) + "&sort=metric.test_acc,asc&limit=1"))
                .containsExactlyElementsOf(runs(2));
        JsonNode item = api.get(runs + "?id=" + id(4), alice.token()).json().get("items").get(0);
        assertThat(item.get("params").get("lr").doubleValue()).isEqualTo(0.005);
        assertThat(item.get("metrics").get("test_acc").get("last").doubleValue()).isEqualTo(0.97);
    }

    @Test
    void runIdsAreNumbersAndAtMostAHundred() {
        JsonNode problem = assertProblem(api.get(runs + "?id=" + id(1) + ",seven", alice.token()), 400);
        assertThat(problem.get("detail").stringValue()).isEqualTo("id: must be run ids (positive whole numbers), "
                + "repeated or comma-separated");
        assertThat(problem.get("errors").get(0).get("parameter").stringValue()).isEqualTo("id");
        assertThat(problem.get("errors").get(0).get("rejectedValue").stringValue()).isEqualTo("seven");
        assertParameter("?id=0", "id");
        assertParameter("?id=-3", "id");
        assertParameter("?id=", "id");

        StringBuilder hundred = new StringBuilder("?id=1");
        for (int i = 2; i <= 100; i++) {
            hundred.append(',').append(i);
        }
        assertThat(api.get(runs + hundred, alice.token()).status()).isEqualTo(200);
        JsonNode tooMany = assertProblem(api.get(runs + hundred + "&id=101", alice.token()), 400);
        assertThat(tooMany.get("errors").get(0).get("parameter").stringValue()).isEqualTo("id");
        assertThat(tooMany.get("errors").get(0).get("detail").stringValue())
                .isEqualTo("at most 100 run ids in one request");
        assertThat(tooMany.get("errors").get(0).get("rejectedValue").intValue()).isEqualTo(101);
    }

    @Test
    void anExperimentIdThatIsNotANumberIsNamedAsOne() {
        JsonNode problem = assertProblem(api.get(runs + "?experimentId=fashion", alice.token()), 400);
        assertThat(problem.get("errors").get(0).get("parameter").stringValue()).isEqualTo("experimentId");
        assertThat(problem.get("errors").get(0).get("detail").stringValue())
                .isEqualTo("must be an experiment id (a number)");
        assertThat(problem.get("errors").get(0).get("rejectedValue").stringValue()).isEqualTo("fashion");
    }

    @Test
    void badQueriesAre400NamingTheParameter() {
        assertParameter("?limit=0", "limit");
        assertParameter("?limit=501", "limit");
        assertParameter("?sort=loss", "sort");
        assertParameter("?sort=createdAt,up", "sort");
        assertParameter("?status=DONE", "status");
        assertParameter("?stauts=QUEUED", "stauts");
        assertParameter("?metric.test_acc>high", "metric.test_acc>high");
        assertParameter("?param.optimizer<adam", "param.optimizer<adam");
        assertParameter("?filter=lr<0.01", "filter");
        assertParameter("?experimentId=x", "experimentId");
        assertParameter("?cursor=garbage", "cursor");
        String cursor = api.get(runs + "?limit=1", alice.token()).json().get("nextCursor").stringValue();
        assertParameter("?sort=metric.test_acc,desc&cursor=" + cursor, "cursor");
    }

    @Test
    void filtersWorkUnencodedAsCurlSendsThem() throws Exception {
        String target = runs + "?param.lr<0.01&sort=metric.test_acc,desc";
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + alice.token()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();
            assertThat(status).startsWith("HTTP/1.1 200");
            StringBuilder rest = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                rest.append(line).append('\n');
            }
            assertThat(rest).contains("\"id\":" + id(4)).contains("\"id\":" + id(3))
                    .doesNotContain("\"id\":" + id(2) + ",");
        }
    }

    private void assertParameter(String query, String parameter) {
        JsonNode problem = assertProblem(api.get(runs + query, alice.token()), 400);
        assertThat(problem.get("errors")).as(query).extracting(e -> e.get("parameter").stringValue())
                .contains(parameter);
    }
}
