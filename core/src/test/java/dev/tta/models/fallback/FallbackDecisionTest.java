package dev.tta.models.fallback;

import static dev.tta.models.fallback.Fixtures.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.fallback.FallbackDecision.RetrySame;
import dev.tta.models.fallback.FallbackDecision.Stop;
import dev.tta.models.fallback.FallbackDecision.TryNext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FallbackDecisionTest {

  private static final SkippedCandidate SKIPPED =
      new SkippedCandidate(ModelKey.of("openai", "gpt-4o-mini"), "circuit open");

  @Test
  void retrySame_zeroDelayIsAllowedNegativeIsNot() {
    assertThat(new RetrySame(Duration.ZERO, "retry-after 0").delay()).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> new RetrySame(Duration.ofMillis(-1), "x"))
        .hasMessage("delay: must not be negative, was PT-0.001S");
    assertThatThrownBy(() -> new RetrySame(null, "x")).hasMessage("delay: is required");
    assertThatThrownBy(() -> new RetrySame(Duration.ZERO, " "))
        .hasMessage("reason: must not be blank");
  }

  @Test
  void tryNext_copiesItsSkipsAndNeedsAModelAndReason() {
    List<SkippedCandidate> skipped = new ArrayList<>(List.of(SKIPPED));
    TryNext next = new TryNext(model("anthropic", "claude"), "because", skipped);
    skipped.clear();

    assertThat(next.skipped()).containsExactly(SKIPPED);
    assertThatThrownBy(() -> new TryNext(null, "because", List.of()))
        .hasMessage("model: is required");
    assertThatThrownBy(() -> new TryNext(model("anthropic", "claude"), "", List.of()))
        .hasMessage("reason: must not be blank");
    assertThatThrownBy(() -> new TryNext(model("anthropic", "claude"), "because", null))
        .hasMessage("skipped: is required");
  }

  @Test
  void stop_needsAReasonAndCopiesItsSkips() {
    List<SkippedCandidate> skipped = new ArrayList<>(List.of(SKIPPED));
    Stop stop = new Stop("done", skipped);
    skipped.clear();

    assertThat(stop.skipped()).containsExactly(SKIPPED);
    assertThatThrownBy(() -> new Stop(null, List.of())).hasMessage("reason: must not be blank");
  }

  @Test
  void skippedCandidate_needsAModelAndAReason() {
    assertThatThrownBy(() -> new SkippedCandidate(null, "x")).hasMessage("model: is required");
    assertThatThrownBy(() -> new SkippedCandidate(ModelKey.of("openai", "gpt-4o"), " "))
        .hasMessage("reason: must not be blank");
  }
}
