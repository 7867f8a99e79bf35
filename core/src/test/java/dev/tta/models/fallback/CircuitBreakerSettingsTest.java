package dev.tta.models.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerSettingsTest {

  @Test
  void defaults_areTheDocumentedValues() {
    assertThat(CircuitBreakerSettings.defaults())
        .isEqualTo(
            new CircuitBreakerSettings(
                50f, 10, 5, Duration.ofSeconds(5), 1, 2.0, Duration.ofMinutes(5)));
  }

  @Test
  void toBuilder_roundTrips() {
    CircuitBreakerSettings custom =
        new CircuitBreakerSettings(
            25f, 20, 8, Duration.ofMillis(1500), 3, 1.5, Duration.ofSeconds(90));

    assertThat(custom.toBuilder().build()).isEqualTo(custom);
  }

  @Test
  void failureRateThreshold_mustBeAboveZeroAndAtMostHundred() {
    assertThatThrownBy(() -> CircuitBreakerSettings.builder().failureRateThreshold(0f).build())
        .hasMessage("failure_rate_threshold: must be above 0 and at most 100, was 0.0");
    assertThatThrownBy(() -> CircuitBreakerSettings.builder().failureRateThreshold(100.5f).build())
        .hasMessage("failure_rate_threshold: must be above 0 and at most 100, was 100.5");
    assertThat(
            CircuitBreakerSettings.builder()
                .failureRateThreshold(100f)
                .build()
                .failureRateThreshold())
        .isEqualTo(100f);
    assertThat(
            CircuitBreakerSettings.builder()
                .failureRateThreshold(0.5f)
                .build()
                .failureRateThreshold())
        .isEqualTo(0.5f);
  }

  @Test
  void windowAndMinimum_mustBePositiveAndMinimumWithinTheWindow() {
    assertThatThrownBy(
            () -> CircuitBreakerSettings.builder().slidingWindowSize(0).minimumCalls(1).build())
        .hasMessage("sliding_window_size: must be greater than 0, was 0");
    assertThatThrownBy(() -> CircuitBreakerSettings.builder().minimumCalls(0).build())
        .hasMessage("minimum_calls: must be greater than 0, was 0");
    assertThatThrownBy(
            () -> CircuitBreakerSettings.builder().slidingWindowSize(4).minimumCalls(5).build())
        .hasMessage("minimum_calls: must not exceed sliding_window_size 4, was 5");
    assertThat(
            CircuitBreakerSettings.builder()
                .slidingWindowSize(4)
                .minimumCalls(4)
                .build()
                .minimumCalls())
        .isEqualTo(4);
  }

  @Test
  void waitInOpenState_mustBeWholeMillisecondsOfAtLeastOne() {
    assertThatThrownBy(
            () -> CircuitBreakerSettings.builder().waitInOpenState(Duration.ZERO).build())
        .hasMessage(
            "wait_in_open_state: must be a whole number of milliseconds, at least 1, was PT0S");
    assertThatThrownBy(
            () ->
                CircuitBreakerSettings.builder().waitInOpenState(Duration.ofNanos(999_999)).build())
        .hasMessageStartingWith("wait_in_open_state:");
    assertThatThrownBy(
            () ->
                CircuitBreakerSettings.builder()
                    .waitInOpenState(Duration.ofNanos(1_500_000))
                    .build())
        .hasMessageStartingWith("wait_in_open_state:");
    assertThatThrownBy(() -> CircuitBreakerSettings.builder().waitInOpenState(null).build())
        .hasMessage("wait_in_open_state: is required");
    assertThat(
            CircuitBreakerSettings.builder()
                .waitInOpenState(Duration.ofMillis(1))
                .build()
                .waitInOpenState())
        .isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void permittedCallsInHalfOpenState_mustBePositive() {
    assertThatThrownBy(
            () -> CircuitBreakerSettings.builder().permittedCallsInHalfOpenState(0).build())
        .hasMessage("permitted_calls_in_half_open_state: must be greater than 0, was 0");
  }

  @Test
  void openWaitMultiplier_mustBeAFiniteNumberOfAtLeastOne() {
    assertThatThrownBy(() -> CircuitBreakerSettings.builder().openWaitMultiplier(0.99).build())
        .hasMessage("open_wait_multiplier: must be a finite number of at least 1, was 0.99");
    assertThatThrownBy(
            () ->
                CircuitBreakerSettings.builder()
                    .openWaitMultiplier(Double.POSITIVE_INFINITY)
                    .build())
        .hasMessage("open_wait_multiplier: must be a finite number of at least 1, was Infinity");
    assertThatThrownBy(
            () -> CircuitBreakerSettings.builder().openWaitMultiplier(Double.NaN).build())
        .hasMessage("open_wait_multiplier: must be a finite number of at least 1, was NaN");
    assertThat(
            CircuitBreakerSettings.builder().openWaitMultiplier(1.0).build().openWaitMultiplier())
        .isEqualTo(1.0);
  }

  @Test
  void maxWaitInOpenState_mustBeWholeMillisecondsOfAtLeastTheWait() {
    CircuitBreakerSettings.Builder fiveSeconds =
        CircuitBreakerSettings.builder().waitInOpenState(Duration.ofSeconds(5));

    assertThatThrownBy(() -> fiveSeconds.maxWaitInOpenState(Duration.ofMillis(4_999)).build())
        .hasMessage(
            "max_wait_in_open_state: must be a whole number of milliseconds, at least"
                + " wait_in_open_state PT5S, was PT4.999S");
    assertThatThrownBy(
            () -> fiveSeconds.maxWaitInOpenState(Duration.ofMinutes(5).plusNanos(1)).build())
        .hasMessageStartingWith("max_wait_in_open_state:");
    assertThatThrownBy(() -> fiveSeconds.maxWaitInOpenState(null).build())
        .hasMessage("max_wait_in_open_state: is required");
    assertThat(fiveSeconds.maxWaitInOpenState(Duration.ofSeconds(5)).build().maxWaitInOpenState())
        .isEqualTo(Duration.ofSeconds(5));
    // 300.001 s: a millisecond over whole seconds is still whole milliseconds
    assertThat(
            fiveSeconds.maxWaitInOpenState(Duration.ofMillis(300_001)).build().maxWaitInOpenState())
        .isEqualTo(Duration.ofMillis(300_001));
  }

  @Test
  void openWait_growsByTheMultiplierPerOpening_upToTheMaximum() {
    CircuitBreakerSettings settings =
        CircuitBreakerSettings.builder()
            .waitInOpenState(Duration.ofSeconds(5))
            .openWaitMultiplier(3.0)
            .maxWaitInOpenState(Duration.ofSeconds(60))
            .build();

    // 5 s, 5 x 3 = 15 s, 15 x 3 = 45 s, 135 s capped to 60 s
    assertThat(settings.openWait(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.openWait(2)).isEqualTo(Duration.ofSeconds(15));
    assertThat(settings.openWait(3)).isEqualTo(Duration.ofSeconds(45));
    assertThat(settings.openWait(4)).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.openWait(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(60));
    assertThatThrownBy(() -> settings.openWait(0))
        .hasMessage("opens: must be greater than 0, was 0");
  }
}
