package dev.trainyard.platform.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.platform.runs.RunQuery.MetricNumber;
import dev.trainyard.platform.runs.RunQuery.Op;
import dev.trainyard.platform.runs.RunQuery.ParamNumber;
import dev.trainyard.platform.runs.RunQuery.ParamText;
import dev.trainyard.platform.runs.RunQuery.SortField;
import dev.trainyard.platform.web.ApiException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunQueryTest {

    private static RunQuery parse(String... nameValues) {
        Map<String, String[]> parameters = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            parameters.merge(nameValues[i], new String[] {nameValues[i + 1]}, (a, b) -> {
                String[] both = new String[a.length + b.length];
                System.arraycopy(a, 0, both, 0, a.length);
                System.arraycopy(b, 0, both, a.length, b.length);
                return both;
            });
        }
        return RunQuery.parse(1, parameters);
    }

    @Test
    void conditionsFromTheQueryStringAndFromFilter() {
        RunQuery q = parse("param.lr<0.01", "", "param.lr>", "1e-5", "filter", "metric.acc >= 0.9",
                "param.optimizer", "adam", "param.version!", "\"2\"");
        assertThat(q.conditions()).containsExactly(
                new ParamNumber("lr", Op.LT, 0.01),
                new ParamNumber("lr", Op.GE, 1e-5),
                new MetricNumber("acc", Op.GE, 0.9),
                new ParamText("optimizer", Op.EQ, "adam"),
                new ParamText("version", Op.NE, "2"));
    }

    @Test
    void sorts() {
        assertThat(parse().sort()).isEqualTo(new RunQuery.Sort(SortField.CREATED_AT, null, true));
        assertThat(parse("sort", "metric.test_acc,asc").sort())
                .isEqualTo(new RunQuery.Sort(SortField.METRIC, "test_acc", false));
        assertThat(parse("sort", "param.lr").sort()).isEqualTo(new RunQuery.Sort(SortField.PARAM, "lr", true));
    }

    @Test
    void cursorsRoundTripAndBelongToTheirSort() {
        RunQuery.Sort byTime = RunQuery.Sort.DEFAULT;
        Instant t = Instant.parse("2026-03-04T05:06:07.123456Z");
        String cursor = RunQuery.encodeCursor(byTime, t, 42);
        assertThat(RunQuery.decodeCursor(cursor, byTime)).isEqualTo(new RunQuery.Cursor(t, 42));
        RunQuery.Sort byMetric = new RunQuery.Sort(SortField.METRIC, "acc", true);
        String metricCursor = RunQuery.encodeCursor(byMetric, 0.123456789012345, 7);
        assertThat(RunQuery.decodeCursor(metricCursor, byMetric)).isEqualTo(new RunQuery.Cursor(0.123456789012345, 7));
        assertThat(RunQuery.decodeCursor(metricCursor, byTime)).isNull();
        // a metric-sorted page that ended among the runs without the metric
        String withoutMetric = RunQuery.encodeCursor(byMetric, t, 9);
        assertThat(RunQuery.decodeCursor(withoutMetric, byMetric)).isEqualTo(new RunQuery.Cursor(t, 9));
        assertThat(RunQuery.decodeCursor(withoutMetric, byTime)).isNull();
        assertThat(RunQuery.decodeCursor("%%%", byTime)).isNull();
    }

    @Test
    void paramCursorsHoldANumberATextOrACreationTime() {
        RunQuery.Sort byParam = new RunQuery.Sort(SortField.PARAM, "optimizer", false);
        Instant t = Instant.parse("2026-03-04T05:06:07.123456Z");
        assertThat(RunQuery.decodeCursor(RunQuery.encodeCursor(byParam, 0.01, 3), byParam))
                .isEqualTo(new RunQuery.Cursor(0.01, 3));
        // text may look like a number, a marker or a separator: it comes back as the same text
        for (String text : List.of("adam", "0.01", "none@12", "a|b|1", "", "true")) {
            assertThat(RunQuery.decodeCursor(RunQuery.encodeCursor(byParam, text, 5), byParam)).as(text)
                    .isEqualTo(new RunQuery.Cursor(text, 5));
        }
        assertThat(RunQuery.decodeCursor(RunQuery.encodeCursor(byParam, t, 8), byParam))
                .isEqualTo(new RunQuery.Cursor(t, 8));
        // a text cursor is a param sort's only
        RunQuery.Sort byMetric = new RunQuery.Sort(SortField.METRIC, "optimizer", false);
        String textCursor = RunQuery.encodeCursor(byParam, "adam", 5);
        assertThat(RunQuery.decodeCursor(textCursor, byMetric)).isNull();
        assertThat(RunQuery.decodeCursor(textCursor, new RunQuery.Sort(SortField.PARAM, "optimizer", true))).isNull();
    }

    @Test
    void allProblemsInOne400() {
        assertThatThrownBy(() -> parse("limit", "0", "sort", "x", "nope", "1"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors())
                        .extracting(p -> p.parameter()).containsExactlyInAnyOrder("limit", "sort", "nope"));
    }
}
