package dev.trainyard.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.metrics.MetricQueries.CellRange;
import dev.trainyard.platform.metrics.MetricQueries.Cover;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cells a series query reads tile its range exactly, widest in the middle, with few points at the ends. */
class RollupCoverTest {

    /** The level nearest the bucket width: the widest no wider than twice it, so a bucket merges at most 2 cells. */
    @Test
    void theLevelIsTheWidestNoWiderThanTwiceTheBucketWidth() {
        long[][] widthAndLevel = {{1, 0}, {7, 0}, {8, 16}, {16, 16}, {31, 16}, {32, 64}, {83, 64}, {127, 64},
            {128, 256}, {250, 256}, {583, 1_024}, {1_667, 1_024}, {2_047, 1_024}, {2_048, 4_096}, {6_250, 4_096},
            {8_388_608, 16_777_216}, {1L << 40, 16_777_216}};
        for (long[] wl : widthAndLevel) {
            assertThat(Rollups.levelFor(wl[0])).as("width " + wl[0]).isEqualTo((int) wl[1]);
        }
    }

    @Test
    void cellsTileTheRangeAndLeaveUnder16PointsAtEachEnd() {
        Random random = new Random(3);
        for (int t = 0; t < 20_000; t++) {
            long from = random.nextInt(3) == 0 ? 0 : random.nextLong(50_000_000L);
            long to = from + (random.nextBoolean() ? random.nextLong(5_000) : random.nextLong(40_000_000L));
            long width = Math.ceilDiv(to - from + 1, 1 + random.nextInt(2_000));
            int level = Rollups.levelFor(width);
            Cover cover = MetricQueries.cover(from, to, level);
            String where = "[" + from + ", " + to + "] level " + level;

            long covered = 0;
            long previousWidth = Long.MAX_VALUE;
            for (CellRange c : cover.cells()) {
                assertThat(c.width()).as(where).isLessThanOrEqualTo(level).isLessThanOrEqualTo((int) Math.min(
                        Integer.MAX_VALUE, previousWidth));
                previousWidth = c.width();
                assertThat(c.from() % c.width()).as(where).isZero();
                assertThat(c.to() % c.width()).as(where).isZero();
                assertThat(c.from()).as(where).isLessThan(c.to()).isGreaterThanOrEqualTo(cover.from());
                assertThat(c.to()).as(where).isLessThanOrEqualTo(cover.to());
                // the widest cells that fit lie in the middle, any number; toward the ends at most 3 per level
                if (c != cover.cells().getFirst()) {
                    assertThat((c.to() - c.from()) / c.width()).as(where + " " + c).isLessThanOrEqualTo(3);
                }
                covered += c.to() - c.from();
            }
            // the ranges are disjoint and together exactly [cover.from, cover.to)
            assertThat(covered).as(where).isEqualTo(cover.to() - cover.from());
            assertThat(cover.cells().stream().sorted(java.util.Comparator.comparingLong(CellRange::from))
                    .reduce((a, b) -> {
                        assertThat(b.from()).as(where).isEqualTo(a.to());
                        return b;
                    })).isNotNull();
            if (level == 0) {
                assertThat(cover.cells()).isEmpty();
                assertThat(cover.from()).isEqualTo(to + 1);
            } else if (cover.cells().isEmpty()) {
                assertThat(to - from + 1).as(where + ": no 16-step cell fits").isLessThan(32L);
            } else {
                assertThat(cover.from() - from).as(where + ": points before the cells").isBetween(0L, 15L);
                assertThat(to + 1 - cover.to()).as(where + ": points after the cells").isBetween(0L, 15L);
            }
        }
    }
}
