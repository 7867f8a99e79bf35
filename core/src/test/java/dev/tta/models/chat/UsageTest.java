package dev.tta.models.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class UsageTest {

  @Test
  void totalTokens_promptPlusCompletion() {
    // 12 + 30 = 42
    assertThat(new Usage(12, 30).totalTokens()).isEqualTo(42);
    assertThat(new Usage(0, 0).totalTokens()).isZero();
  }

  @Test
  void shortConstructor_noReportedCost() {
    assertThat(new Usage(1, 2).reportedCostUsd()).isEmpty();
  }

  @Test
  void reportedCost_keptWhenGiven() {
    assertThat(new Usage(1, 2, OptionalDouble.of(0.00042)).reportedCostUsd()).hasValue(0.00042);
    assertThat(new Usage(1, 2, OptionalDouble.of(0)).reportedCostUsd()).hasValue(0.0);
  }

  @Test
  void counts_notNegative() {
    assertThatThrownBy(() -> new Usage(-1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("usage.prompt_tokens: must not be negative, was -1");
    assertThatThrownBy(() -> new Usage(0, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("usage.completion_tokens: must not be negative, was -1");
  }

  @Test
  void cost_notNegativeAndRequired() {
    assertThatThrownBy(() -> new Usage(1, 1, OptionalDouble.of(-0.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("usage.cost: must be a finite number of at least 0, was -0.5");
    assertThatThrownBy(() -> new Usage(1, 1, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("usage.cost: is required");
  }

  @Test
  void tokensPerSecond_isCompletionTokensOverTheProvidersGenerationTime() {
    // 12 tokens in 240 ms: 50 per second
    assertThat(new Usage(31, 12).withGenerationTime(Duration.ofMillis(240)).tokensPerSecond())
        .hasValue(50.0);
    assertThat(new Usage(31, 12).tokensPerSecond()).isEmpty();
    assertThat(new Usage(31, 12).withGenerationTime(Duration.ZERO).tokensPerSecond()).isEmpty();
    assertThatThrownBy(() -> new Usage(1, 1).withGenerationTime(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("usage.generation_time");
  }
}
