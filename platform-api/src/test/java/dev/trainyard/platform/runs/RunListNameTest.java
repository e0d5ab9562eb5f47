package dev.trainyard.platform.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunListNameTest extends RunListTesting {

    @BeforeEach
    void seed() {
        // r1 .. r5
        for (String name : List.of("Adam-lr1e-3", "sgd-lr1e-2", "adamw_big", "sgd 100%", "ADAM-lr1e-2")) {
            seedRun(Map.of("name", name, "spec", runBody().get("spec"), "params", Map.of("lr", 0.1)), "QUEUED");
        }
    }

    @Test
    void nameFindsRunsWhoseNameContainsTheTextIgnoringCase() {
        assertThat(ids("?name=adam")).containsExactlyElementsOf(runs(5, 3, 1));
        assertThat(ids("?name=LR1E-2")).containsExactlyElementsOf(runs(5, 2));
        assertThat(ids("?name=adam&sort=createdAt,asc&param.lr>0")).containsExactlyElementsOf(runs(1, 3, 5));
        assertThat(ids("?name=nothing-like-it")).isEmpty();
        assertThat(ids("?name=")).hasSize(5);
    }

    @Test
    void likeWildcardsInTheTextMatchThemselves() {
        assertThat(ids("?name=_")).containsExactlyElementsOf(runs(3));
        assertThat(ids("?name=100%25")).containsExactlyElementsOf(runs(4));
        assertThat(ids("?name=%25")).containsExactlyElementsOf(runs(4));
    }

    @Test
    void nameTextPagesWithTheCursor() {
        Api.Response first = api.get(runs + "?name=adam&limit=2", alice.token());
        assertThat(first.json().get("items")).hasSize(2);
        String cursor = first.json().get("nextCursor").stringValue();
        assertThat(ids("?name=adam&limit=2&cursor=" + cursor)).containsExactlyElementsOf(runs(1));
    }

    @Test
    void tooLongATextIs400NamingTheParameter() {
        Api.Response r = api.get(runs + "?name=" + "x".repeat(201), alice.token());
        assertThat(assertProblem(r, 400).get("errors").get(0).get("parameter").stringValue()).isEqualTo("name");
    }
}
