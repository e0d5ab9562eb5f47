package dev.trainyard.platform.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.platform.checkpoints.RetentionPolicy.Candidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    private static List<Candidate> candidates(Double... acc) {
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < acc.length; i++) {
            out.add(new Candidate(i + 1, acc[i] == null ? Map.of() : Map.of("acc", acc[i])));
        }
        return out;
    }

    @Test
    void keepsTheLastUploaded() {
        assertThat(new RetentionPolicy(2, null, null).prune(candidates(0.1, 0.9, 0.2, 0.3)))
                .containsExactlyInAnyOrder(1L, 2L);
        assertThat(new RetentionPolicy(5, null, null).prune(candidates(0.1, 0.2))).isEmpty();
        assertThat(new RetentionPolicy(1, null, null).prune(List.of())).isEmpty();
    }

    @Test
    void andTheBestByTheMetric() {
        assertThat(new RetentionPolicy(1, "acc", BestMode.MAX).prune(candidates(0.1, 0.9, 0.2, 0.3)))
                .containsExactlyInAnyOrder(1L, 3L);
        assertThat(new RetentionPolicy(1, "acc", BestMode.MIN).prune(candidates(0.5, 0.9, 0.2, 0.3)))
                .containsExactlyInAnyOrder(1L, 2L);
        // the best among the last ones adds nothing
        assertThat(new RetentionPolicy(2, "acc", BestMode.MAX).prune(candidates(0.1, 0.2, 0.9))).containsExactly(1L);
    }

    @Test
    void tiesGoToTheMoreRecentAndMissingOrNaNValuesAreNeverBest() {
        assertThat(new RetentionPolicy(1, "acc", BestMode.MAX).prune(candidates(0.9, 0.9, 0.1, 0.1)))
                .containsExactlyInAnyOrder(1L, 3L);
        assertThat(new RetentionPolicy(1, "acc", BestMode.MIN).prune(candidates(null, Double.NaN, 0.7, null)))
                .containsExactlyInAnyOrder(1L, 2L);
        assertThat(new RetentionPolicy(1, "acc", BestMode.MIN).prune(candidates(null, null))).containsExactly(1L);
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new RetentionPolicy(0, null, null)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new RetentionPolicy(1, "acc", null)).hasMessageContaining("needs a mode");
    }
}
