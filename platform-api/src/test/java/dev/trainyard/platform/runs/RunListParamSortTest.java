package dev.trainyard.platform.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Sorted by a parameter, the run list holds every run that matches the filters: its numbers, then its strings and
 * booleans by their text, then the runs without it by creation time, and its pages walk all three.
 */
class RunListParamSortTest extends RunListTesting {

    @BeforeEach
    void seed() {
        // p1 .. p10
        run(0.1, "sgd", "QUEUED");
        run("auto", "adam", "SUCCEEDED");
        run(null, "adam", "QUEUED");
        run(0.001, "adamw", "FAILED");
        run(true, null, "QUEUED");
        run("cosine", "sgd", "SUCCEEDED");
        run(0.01, "adam", "QUEUED");
        run(null, "adamw", "CANCELLED");
        run(0.001, "sgd", "SUCCEEDED");
        run("auto", "sgd", "QUEUED");
    }

    private void run(Object lr, String optimizer, String status) {
        Map<String, Object> params = new HashMap<>();
        if (lr != null) {
            params.put("lr", lr);
        }
        if (optimizer != null) {
            params.put("optimizer", optimizer);
        }
        seedRun(with(runBody(), "params", params), status);
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
        RunService service = runService(statements::set);
        Map<String, String[]> parameters = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            parameters.put(nameValues[i], new String[] {nameValues[i + 1]});
        }
        service.list(aliceAsAdmin(), project, parameters);
        return statements.get();
    }

    @Test
    void aCursorOfAnotherSortIsRefused() {
        String text = api.get(runs + "?sort=param.lr,asc&limit=5", alice.token()).json().get("nextCursor")
                .stringValue();
        JsonNode problem = assertProblem(api.get(runs + "?sort=param.lr,desc&cursor=" + text, alice.token()), 400);
        assertThat(problem.get("errors").get(0).get("parameter").stringValue()).isEqualTo("cursor");
    }
}
