package dev.trainyard.platform.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.runs.RunStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What the relay sends with NOTIFY: every payload under 8000 bytes, and nothing lost or doubled by splitting. */
class RelayPayloadsTest {

    private static final Instant AT = Instant.parse("2026-11-22T10:00:00.123456Z");

    private final RelayPayloads payloads = new RelayPayloads(JsonMapper.builder().build(), "origin-a");

    private static void assertFits(List<String> sent) {
        assertThat(sent).allSatisfy(p -> assertThat(p.getBytes(StandardCharsets.UTF_8).length)
                .isLessThan(RelayPayloads.MAX_BYTES + 1));
    }

    @Test
    void aStatusChangeIsOnePayloadThatRoundTrips() {
        RunStatusChanged e = new RunStatusChanged(3, null, 7, null, RunStatus.QUEUED, 0, AT);
        List<String> sent = payloads.encode(e);
        assertThat(sent).hasSize(1);
        RelayPayloads.Relayed r = payloads.decode(sent.getFirst());
        assertThat(r.origin()).isEqualTo("origin-a");
        assertThat(r.status()).isEqualTo(e);
        assertThat(r.metrics()).isNull();
        assertThat(r.logs()).isNull();
        assertThat(r.fetch()).isNull();
        // the sequence number differs, so PostgreSQL does not fold two equal events of one transaction into one
        assertThat(payloads.decode(payloads.encode(e).getFirst()).n()).isGreaterThan(r.n());
    }

    @Test
    void manyMetricKeysAreSplitAndTheirPointsCountedOnce() {
        List<MetricsAppended.KeyState> keys = IntStream.range(0, 400)
                .mapToObj(i -> new MetricsAppended.KeyState("layer" + i + "/" + "g".repeat(150), i, i / 3.0,
                        -i, i * 2.0))
                .toList();
        List<String> sent = payloads.encode(new MetricsAppended(1, 2L, 3, 800, keys));
        assertFits(sent);
        assertThat(sent.size()).isGreaterThan(5);
        List<MetricsAppended.KeyState> received = new ArrayList<>();
        int points = 0;
        for (String p : sent) {
            MetricsAppended m = payloads.decode(p).metrics();
            assertThat(m.runId()).isEqualTo(3);
            assertThat(m.experimentId()).isEqualTo(2L);
            received.addAll(m.keys());
            points += m.points();
        }
        assertThat(received).isEqualTo(keys);
        assertThat(points).isEqualTo(800);
    }

    @Test
    void aNotANumberValueRoundTrips() {
        MetricsAppended e = new MetricsAppended(1, null, 3, 1,
                List.of(new MetricsAppended.KeyState("loss", 5, Double.NaN, 0.5, 0.5)));
        MetricsAppended m = payloads.decode(payloads.encode(e).getFirst()).metrics();
        assertThat(m.keys().getFirst().last()).isNaN();
        assertThat(m.keys().getFirst().min()).isEqualTo(0.5);
    }

    @Test
    void aLogBatchIsSplitByLinesAndLinesTooLongForAPayloadAreFetched() {
        List<LogLine> lines = new ArrayList<>();
        for (int seq = 0; seq < 5_000; seq++) {
            String text = seq % 1_000 == 7 ? "x".repeat(16_384) : "épreuve " + seq + " " + "y".repeat(seq % 300);
            lines.add(new LogLine(seq, AT, seq % 2 == 0 ? "stdout" : "stderr", text));
        }
        List<String> sent = payloads.encode(new LogsAppended(1, null, 3, 2, lines));
        assertFits(sent);

        List<LogLine> received = new ArrayList<>();
        List<Long> toFetch = new ArrayList<>();
        for (String p : sent) {
            RelayPayloads.Relayed r = payloads.decode(p);
            if (r.logs() != null) {
                assertThat(r.logs().attempt()).isEqualTo(2);
                received.addAll(r.logs().lines());
            } else {
                assertThat(r.fetch().runId()).isEqualTo(3);
                assertThat(r.fetch().attempt()).isEqualTo(2);
                toFetch.addAll(r.fetch().seqs());
            }
        }
        assertThat(toFetch).containsExactly(7L, 1_007L, 2_007L, 3_007L, 4_007L);
        assertThat(received).hasSize(4_995);
        assertThat(received).isEqualTo(lines.stream().filter(l -> !toFetch.contains(l.seq())).toList());
    }
}
