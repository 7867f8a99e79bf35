package dev.tta.models.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.TaskType;
import dev.tta.models.provider.ErrorClass;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallRecordTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void success_requiredMeasurementsOnly() {
    CallRecord call =
        CallRecord.success(
            TestCalls.MODEL_A,
            TaskType.GENERAL_CHAT,
            T0,
            Duration.ofSeconds(2),
            Optional.empty(),
            10,
            100,
            0.5);

    assertThat(call.succeeded()).isTrue();
    assertThat(call.completionTokens()).isEqualTo(100);
    assertThat(call.qualityScore()).isEmpty();
    // 100 tokens / 2 s = 50 tokens/s
    assertThat(call.tokensPerSecond()).hasValue(50.0);
  }

  @Test
  void failure_carriesTheErrorClassAndNoTokens() {
    CallRecord call =
        CallRecord.failure(
            TestCalls.MODEL_A,
            TaskType.GENERAL_CHAT,
            T0,
            Duration.ofSeconds(1),
            ErrorClass.TIMEOUT);

    assertThat(call.succeeded()).isFalse();
    assertThat(call.error()).contains(ErrorClass.TIMEOUT);
    assertThat(call.completionTokens()).isZero();
    assertThat(call.tokensPerSecond()).isEmpty();
  }

  @Test
  void tokensPerSecond_noGenerationTime_empty() {
    // first token at the very end: 0 s of generation, no speed
    CallRecord call =
        TestCalls.at(T0).latencyMillis(500).timeToFirstTokenMillis(500).tokens(1, 10).build();

    assertThat(call.tokensPerSecond()).isEmpty();
  }

  @Test
  void timeToFirstToken_betweenZeroAndTheLatency() {
    assertThat(TestCalls.at(T0).latencyMillis(500).timeToFirstTokenMillis(0).build()).isNotNull();
    assertThatThrownBy(
            () -> TestCalls.at(T0).latencyMillis(500).timeToFirstTokenMillis(501).build())
        .hasMessage("time_to_first_token: must be between 0 and the latency, was PT0.501S");
    assertThatThrownBy(() -> TestCalls.at(T0).latencyMillis(500).timeToFirstTokenMillis(-1).build())
        .hasMessage("time_to_first_token: must be between 0 and the latency, was PT-0.001S");
  }

  @Test
  void latency_negative_rejected() {
    assertThatThrownBy(() -> TestCalls.at(T0).latency(Duration.ofMillis(-1)).build())
        .hasMessage("latency: must not be negative, was PT-0.001S");
  }
}
