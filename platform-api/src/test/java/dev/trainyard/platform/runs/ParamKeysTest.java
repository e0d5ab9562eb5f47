package dev.trainyard.platform.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** GET .../params/keys: the distinct param names of a project's runs, searched and paged, on PostgreSQL. */
class ParamKeysTest extends IntegrationTest {

    private TestUser alice;
    private long project;
    private String keys;

    /**
     * layer0000.lr ... layer1499.optim: 3,000 names over eight runs of at most 400 params (a run takes 500), each
     * sharing ten layers with the next.
     */
    @BeforeEach
    void threeThousandKeys() {
        alice = newUser("alice");
        project = newProject(alice);
        keys = "/api/v1/projects/" + project + "/params/keys";
        for (int from = 0; from < 1500; from += 190) {
            Map<String, Object> params = layers(from, Math.min(from + 200, 1500));
            if (from == 0) {
                params.put("batch_size", 64);
            }
            submitRun(project, alice, with(runBody(), "params", params));
        }
        // another project's params are not this one's
        submitRun(newProject(alice), alice, with(runBody(), "params", Map.of("layer9999.lr", 1)));
    }

    private static Map<String, Object> layers(int from, int to) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            params.put(String.format("layer%04d.lr", i), 0.001 * i);
            params.put(String.format("layer%04d.optim", i), i % 2 == 0 ? "adam" : "sgd");
        }
        return params;
    }

    private List<String> all(String query, int limit) {
        List<String> out = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.get(keys + "?limit=" + limit + query + (cursor == null ? "" : "&cursor=" + cursor),
                    alice.token()).json();
            page.get("items").forEach(k -> out.add(k.stringValue()));
            assertThat(page.get("items").size()).isLessThanOrEqualTo(limit);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").stringValue();
            assertThat(++pages).isLessThan(10_000);
        } while (cursor != null);
        return out;
    }

    @Test
    void everyKeyOnceInOrderThroughThePages() {
        List<String> listed = all("", 1000);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            expected.add(String.format("layer%04d.lr", i));
            expected.add(String.format("layer%04d.optim", i));
        }
        assertThat(listed.stream().filter(k -> k.startsWith("layer")).toList()).isEqualTo(expected);
        assertThat(listed).doesNotHaveDuplicates();
        // the spec's params are captured as keys too
        assertThat(listed).contains("optimizer.lr", "optimizer.type", "epochs", "batch_size");
        assertThat(all("", 7)).isEqualTo(listed);
    }

    @Test
    void searchFindsTheKeysContainingTheTextIgnoringCaseInOrder() {
        List<String> expected = new ArrayList<>();
        for (int i = 1200; i < 1300; i++) {
            expected.add(String.format("layer%04d.lr", i));
            expected.add(String.format("layer%04d.optim", i));
        }
        assertThat(all("&q=LAYER12", 50)).isEqualTo(expected);
        JsonNode first = api.get(keys + "?q=layer12&limit=50", alice.token()).json();
        assertThat(first.get("items")).hasSize(50);
        assertThat(first.get("nextCursor").stringValue()).isEqualTo("layer1224.optim");
        JsonNode second = api.get(keys + "?q=layer12&limit=50&cursor=layer1224.optim", alice.token()).json();
        assertThat(second.get("items").get(0).stringValue()).isEqualTo("layer1225.lr");

        List<String> optimizers = all("&q=9.OPTIM", 1000);
        assertThat(optimizers).hasSize(150).allMatch(k -> k.endsWith("9.optim"));
        // LIKE's wildcards are plain text here
        assertThat(all("&q=%25", 100)).isEmpty();
        assertThat(all("&q=_", 100)).contains("batch_size").allMatch(k -> k.contains("_"));
    }

    @Test
    void badParametersAndOutsidersAreRefused() {
        assertProblem(api.get(keys + "?limit=0", alice.token()), 400);
        assertProblem(api.get(keys + "?limit=1001", alice.token()), 400);
        assertProblem(api.get(keys + "?q=" + "x".repeat(201), alice.token()), 400);
        assertProblem(api.get(keys, newUser("outsider").token()), 404);
        assertProblem(api.get(keys, null), 401);
    }
}
