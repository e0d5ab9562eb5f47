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

    /** D6: sixteen {@code 0-} ranges used to send the whole file sixteen times. */
    @Test
    void overlappingRangesAreCoalescedAndNothingIsSentTwice() {
        assertThat(parse("bytes=" + "0-,".repeat(15) + "0-")).isInstanceOf(ByteRanges.Whole.class);
        assertThat(parse("bytes=0-99,50-149")).isEqualTo(new Partial(List.of(new Range(0, 149))));
        assertThat(parse("bytes=100-199,0-99")).isEqualTo(new Partial(List.of(new Range(0, 199))));
        assertThat(parse("bytes=500-599,0-9,505-510")).isEqualTo(new Partial(List.of(new Range(0, 9),
                new Range(500, 599))));
        assertThat(parse("bytes=-100,900-999")).isEqualTo(new Partial(List.of(new Range(900, 999))));
        // separate ranges keep the order asked for
        assertThat(parse("bytes=200-209,0-9")).isEqualTo(new Partial(List.of(new Range(200, 209),
                new Range(0, 9))));
        // parts that with their multipart headers weigh as much as the whole: the whole is cheaper
        assertThat(parse("bytes=0-399,600-999")).isInstanceOf(ByteRanges.Whole.class);
        // every answer sends at most the representation (plus multipart headers when those are smaller)
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 2000; i++) {
            StringBuilder h = new StringBuilder("bytes=");
            int n = 1 + random.nextInt(ByteRanges.MAX_RANGES);
            for (int k = 0; k < n; k++) {
                long a = random.nextInt(1100);
                h.append(k == 0 ? "" : ",").append(a).append('-').append(random.nextBoolean() ? ""
                        : String.valueOf(a + random.nextInt(600)));
            }
            if (parse(h.toString()) instanceof Partial p) {
                long sent = p.ranges().stream().mapToLong(r -> r.length() + (p.ranges().size() > 1
                        ? ByteRanges.PART_OVERHEAD : 0)).sum();
                assertThat(sent).as(h.toString()).isLessThanOrEqualTo(1000);
                for (int a = 0; a < p.ranges().size(); a++) {
                    for (int b = a + 1; b < p.ranges().size(); b++) {
                        Range x = p.ranges().get(a);
                        Range y = p.ranges().get(b);
                        assertThat(x.last() + 1 < y.first() || y.last() + 1 < x.first()).as(h.toString()).isTrue();
                    }
                }
            }
        }
    }
}
