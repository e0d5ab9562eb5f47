package dev.trainyard.platform.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.artifacts.ByteRanges.Partial;
import dev.trainyard.platform.artifacts.ByteRanges.Range;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByteRangesTest {

    private static ByteRanges parse(String header) {
        return ByteRanges.parse(header, 1000);
    }

    @Test
    void rangesAsRfc9110DefinesThem() {
        assertThat(parse("bytes=0-99")).isEqualTo(new Partial(List.of(new Range(0, 99))));
        assertThat(parse("bytes=900-")).isEqualTo(new Partial(List.of(new Range(900, 999))));
        assertThat(parse("bytes=-100")).isEqualTo(new Partial(List.of(new Range(900, 999))));
        assertThat(parse("bytes=-5000")).isEqualTo(new Partial(List.of(new Range(0, 999))));
        assertThat(parse("bytes=990-5000")).isEqualTo(new Partial(List.of(new Range(990, 999))));
        assertThat(parse("Bytes = 0-0 , 10-19")).isEqualTo(new Partial(List.of(new Range(0, 0), new Range(10, 19))));
        // ranges past the end are dropped while others remain
        assertThat(parse("bytes=0-9,5000-6000")).isEqualTo(new Partial(List.of(new Range(0, 9))));
        assertThat(new Range(10, 19).length()).isEqualTo(10);
        assertThat(new Range(10, 19).contentRange(1000)).isEqualTo("bytes 10-19/1000");
    }

    @Test
    void unsatisfiableWhenNoRangeOverlaps() {
        assertThat(parse("bytes=1000-")).isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(parse("bytes=-0")).isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(ByteRanges.parse("bytes=0-", 0)).isInstanceOf(ByteRanges.Unsatisfiable.class);
    }

    @Test
    void whatIsNotUnderstoodIsIgnored() {
        for (String h : new String[] {null, "", "bytes", "items=0-1", "bytes=a-b", "bytes=5-2", "bytes=1", "bytes=-",
                "bytes=0-1,,2-3", "bytes=99999999999999999999-", "bytes=" + "0-1,".repeat(16) + "0-1"}) {
            assertThat(parse(h)).as(String.valueOf(h)).isInstanceOf(ByteRanges.Whole.class);
        }
    }
}
