package dev.trainyard.platform.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.datasets.DatasetRepository;
import dev.trainyard.platform.experiments.ExperimentRepository;
import dev.trainyard.platform.projects.ProjectAccess;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sorted by a parameter, the run list holds every run that matches the filters: its numbers, then its strings and
 * booleans by their text, then the runs without it by creation time, and its pages walk all three.
 */
class RunListParamSortTest extends IntegrationTest {

    @Autowired
    private DataSource dataSource;
    @Autowired
    private RunRepository runRepository;
    @Autowired
    private RunDetailsRepository details;
    @Autowired
    private ExperimentRepository experiments;
    @Autowired
    private ProjectAccess access;
    @Autowired
    private JsonMapper json;
    @Autowired
    private PlatformTransactionManager transactions;
    @Autowired
    private ApplicationEventPublisher events;
    @Autowired
    private DatasetRepository datasets;

    private TestUser alice;
    private long project;
    private String runs;
    /** ids of p1..p10 at index 1..10 */
    private final long[] p = new long[11];

    @BeforeEach
    void seed() {
        alice = newUser("alice");
        project = newProject(alice);
        runs = "/api/v1/projects/" + project + "/runs";
        p[1] = run(0.1, "sgd", "QUEUED");
        p[2] = run("auto", "adam", "SUCCEEDED");
        p[3] = run(null, "adam", "QUEUED");
        p[4] = run(0.001, "adamw", "FAILED");
        p[5] = run(true, null, "QUEUED");
        p[6] = run("cosine", "sgd", "SUCCEEDED");
        p[7] = run(0.01, "adam", "QUEUED");
        p[8] = run(null, "adamw", "CANCELLED");
        p[9] = run(0.001, "sgd", "SUCCEEDED");
        p[10] = run("auto", "sgd", "QUEUED");
    }

    private long run(Object lr, String optimizer, String status) {
        Map<String, Object> params = new HashMap<>();
        if (lr != null) {
            params.put("lr", lr);
        }
        if (optimizer != null) {
            params.put("optimizer", optimizer);
        }
        long id = submitRun(project, alice, with(runBody(), "params", params)).get("id").longValue();
        jdbc.sql("UPDATE runs SET status = ? WHERE id = ?").param(status).param(id).update();
        return id;
    }

    @Test
    void numbersThenTextsThenRunsWithoutItInBothDirections() {
        // numbers 0.001 (p4, p9), 0.01 (p7), 0.1 (p1); texts auto (p2, p10), cosine (p6), true (p5); none: p3, p8
        List<Long> ascending = runs(4, 9, 7, 1, 2, 10, 6, 5, 3, 8);
        List<Long> descending = runs(1, 7, 9, 4, 5, 6, 10, 2, 8, 3);
        assertThat(ids("?sort=param.lr,asc")).containsExactlyElementsOf(ascending);
        assertThat(ids("?sort=param.lr,desc")).containsExactlyElementsOf(descending);
        assertThat(ids("?sort=param.lr")).containsExactlyElementsOf(descending);
        // a boolean and the strings are listed with their values
        JsonNode items = api.get(runs + "?sort=param.lr,desc&limit=5", alice.token()).json().get("items");
        assertThat(items.get(4).get("params").get("lr").booleanValue()).isTrue();
    }

    @Test
    void pagesWalkEveryRunOnceAcrossThePartsOfTheList() {
        List<Long> ascending = runs(4, 9, 7, 1, 2, 10, 6, 5, 3, 8);
        List<Long> descending = runs(1, 7, 9, 4, 5, 6, 10, 2, 8, 3);
        // limit 2 and 4 end pages exactly where numbers give way to texts and texts to the runs without lr;
        // the other limits end pages inside each part
        for (int limit = 1; limit <= 11; limit++) {
            assertThat(walk("?sort=param.lr,asc", limit)).as("limit " + limit).containsExactlyElementsOf(ascending);
            assertThat(walk("?sort=param.lr,desc", limit)).as("limit " + limit).containsExactlyElementsOf(descending);
        }
    }

    @Test
    void aStringParameterSortsByItsText() {
        // the case that used to list nothing: no run has a number for optimizer
        assertThat(ids("?sort=param.optimizer,asc")).containsExactlyElementsOf(runs(2, 3, 7, 4, 8, 1, 6, 9, 10, 5));
        assertThat(walk("?sort=param.optimizer,desc", 2))
                .containsExactlyElementsOf(runs(10, 9, 6, 1, 8, 4, 7, 3, 2, 5));
        assertThat(ids("?sort=param.missing,asc")).containsExactlyElementsOf(runs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    }

    @Test
    void filtersApplyToEveryPart() {
        // QUEUED: p1 sgd, p3 adam, p5 (no optimizer), p7 adam, p10 sgd
        assertThat(walk("?status=QUEUED&sort=param.optimizer,desc", 2)).containsExactlyElementsOf(runs(10, 1, 7, 3, 5));
        assertThat(walk("?status=QUEUED&sort=param.lr,asc", 2)).containsExactlyElementsOf(runs(7, 1, 10, 5, 3));
        // a numeric filter on the sorted parameter leaves only numbers
        assertThat(walk("?param.lr<0.05&sort=param.lr,desc", 1)).containsExactlyElementsOf(runs(7, 9, 4));
        // a text filter on it leaves no run without it, but numbers and texts (every value has its text)
        assertThat(walk("?param.lr!=auto&sort=param.lr,asc", 2)).containsExactlyElementsOf(runs(4, 9, 7, 1, 6, 5));
        assertThat(ids("?param.optimizer=sgd&sort=param.lr,asc")).containsExactlyElementsOf(runs(9, 1, 10, 6));
    }

    @Test
    void aPageRunsTheNextPartsStatementOnlyWhenItReachesTheEndOfAPart() {
        // sorted by lr: four numbers, four texts, two runs without it
        assertThat(statements("sort", "param.lr,asc", "limit", "3")).isEqualTo(1);
        assertThat(statements("sort", "param.lr,asc", "limit", "4")).isEqualTo(2);
        assertThat(statements("sort", "param.lr,asc", "limit", "7")).isEqualTo(2);
        assertThat(statements("sort", "param.lr,asc", "limit", "8")).isEqualTo(3);
        // a numeric filter on lr leaves neither texts nor runs without it to look for; a text filter, no runs
        // without it
        assertThat(statements("sort", "param.lr,asc", "param.lr<1", "")).isEqualTo(1);
        assertThat(statements("sort", "param.lr,asc", "param.lr!=x", "")).isEqualTo(2);
    }

    /** How many statements the page of these query parameters (name, value pairs) runs. */
    private int statements(String... nameValues) {
        AtomicInteger statements = new AtomicInteger();
        JdbcTemplate counting = new JdbcTemplate(dataSource) {
            @Override
            public <T> T query(PreparedStatementCreator creator, PreparedStatementSetter setter,
                    ResultSetExtractor<T> extractor) {
                statements.incrementAndGet();
                return super.query(creator, setter, extractor);
            }
        };
        RunService service = new RunService(runRepository, details, new RunSearchRepository(counting), experiments,
                access, json, transactions, events, datasets);
        Map<String, String[]> parameters = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            parameters.put(nameValues[i], new String[] {nameValues[i + 1]});
        }
        service.list(new Caller(alice.id(), alice.username(), false, 0, Scope.ADMIN), project, parameters);
        return statements.get();
    }

    @Test
    void aCursorOfAnotherSortIsRefused() {
        String text = api.get(runs + "?sort=param.lr,asc&limit=5", alice.token()).json().get("nextCursor")
                .stringValue();
        JsonNode problem = assertProblem(api.get(runs + "?sort=param.lr,desc&cursor=" + text, alice.token()), 400);
        assertThat(problem.get("errors").get(0).get("parameter").stringValue()).isEqualTo("cursor");
    }

    private List<Long> runs(int... numbers) {
        List<Long> out = new ArrayList<>();
        for (int n : numbers) {
            out.add(p[n]);
        }
        return out;
    }

    private List<Long> ids(String query) {
        Api.Response response = api.get(runs + query, alice.token());
        assertThat(response.status()).as(query + " -> " + response).isEqualTo(200);
        List<Long> out = new ArrayList<>();
        response.json().get("items").forEach(item -> out.add(item.get("id").longValue()));
        return out;
    }

    /** Every page of a query, {@code limit} runs a page, following nextCursor. */
    private List<Long> walk(String query, int limit) {
        List<Long> walked = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get(runs + query + "&limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor),
                    alice.token());
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            JsonNode items = page.json().get("items");
            assertThat(items.size()).as(query + " limit " + limit + " page after " + walked).isLessThanOrEqualTo(limit);
            items.forEach(item -> walked.add(item.get("id").longValue()));
            JsonNode next = page.json().get("nextCursor");
            cursor = next.isNull() ? null : next.stringValue();
        } while (cursor != null && walked.size() < 100);
        return walked;
    }
}
