package dev.tta.models.fallback;

import static dev.tta.models.fallback.Fixtures.error;
import static dev.tta.models.fallback.Fixtures.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureContextTest {

  private static final ModelInfo GPT4O = model("openai", "gpt-4o");
  private static final ModelInfo CLAUDE = model("anthropic", "claude");
  private static final ProviderException TIMEOUT = error(ErrorClass.TIMEOUT, GPT4O);
  private static final Duration MINUTE = Duration.ofMinutes(1);

  @Test
  void constructor_copiesTheCandidates() {
    List<ModelInfo> remaining = new ArrayList<>(List.of(CLAUDE));
    FailureContext context =
        new FailureContext(GPT4O, TIMEOUT, 1, 1, MINUTE, remaining, FallbackState.empty());

    remaining.clear();

    assertThat(context.remainingCandidates()).containsExactly(CLAUDE);
  }

  @Test
  void constructor_acceptsANegativeTimeLeft() {
    assertThat(
            new FailureContext(
                    GPT4O, TIMEOUT, 2, 3, Duration.ofSeconds(-1), List.of(), FallbackState.empty())
                .timeLeft())
        .isEqualTo(Duration.ofSeconds(-1));
  }

  @Test
  void attempts_mustBeAtLeastOneAndTotalAtLeastThoseOnTheModel() {
    assertThatThrownBy(
            () ->
                new FailureContext(GPT4O, TIMEOUT, 0, 1, MINUTE, List.of(), FallbackState.empty()))
        .hasMessage("attempts_on_failed_model: must be greater than 0, was 0");
    assertThatThrownBy(
            () ->
                new FailureContext(GPT4O, TIMEOUT, 2, 1, MINUTE, List.of(), FallbackState.empty()))
        .hasMessage("total_attempts: must be at least attempts_on_failed_model 2, was 1");
    assertThat(
            new FailureContext(GPT4O, TIMEOUT, 2, 2, MINUTE, List.of(), FallbackState.empty())
                .totalAttempts())
        .isEqualTo(2);
  }

  @Test
  void constructor_withoutARequiredPart_isRejected() {
    FallbackState state = FallbackState.empty();
    assertThatThrownBy(() -> new FailureContext(null, TIMEOUT, 1, 1, MINUTE, List.of(), state))
        .hasMessage("failed_model: is required");
    assertThatThrownBy(() -> new FailureContext(GPT4O, null, 1, 1, MINUTE, List.of(), state))
        .hasMessage("error: is required");
    assertThatThrownBy(() -> new FailureContext(GPT4O, TIMEOUT, 1, 1, null, List.of(), state))
        .hasMessage("time_left: is required");
    assertThatThrownBy(() -> new FailureContext(GPT4O, TIMEOUT, 1, 1, MINUTE, null, state))
        .hasMessage("remaining_candidates: is required");
    assertThatThrownBy(
            () ->
                new FailureContext(
                    GPT4O, TIMEOUT, 1, 1, MINUTE, Arrays.asList(CLAUDE, null), state))
        .hasMessage("remaining_candidates[1]: must not be null");
    assertThatThrownBy(() -> new FailureContext(GPT4O, TIMEOUT, 1, 1, MINUTE, List.of(), null))
        .hasMessage("state: is required");
  }

  @Test
  void attemptDuration_mayBeZeroButNotNegative() {
    FallbackState state = FallbackState.empty();

    assertThatThrownBy(
            () ->
                new FailureContext(
                    GPT4O, TIMEOUT, 1, 1, MINUTE, List.of(), state, Duration.ofMillis(-1), false))
        .hasMessage("attempt_duration: must not be negative, was PT-0.001S");
    assertThat(
            new FailureContext(GPT4O, TIMEOUT, 1, 1, MINUTE, List.of(), state, Duration.ZERO, true)
                .attemptDuration())
        .isZero();
  }
}
