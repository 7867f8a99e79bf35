package dev.tta.models.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FallbackConfigTest {

  @Test
  void defaults_areTheDocumentedValues() {
    assertThat(FallbackConfig.defaults())
        .isEqualTo(
            new FallbackConfig(
                FallbackStrategy.PERFORMANCE,
                Duration.ofMinutes(30),
                3,
                true,
                5,
                2,
                Duration.ofMillis(250),
                2.0,
                Duration.ofSeconds(2),
                0.2,
                Duration.ofSeconds(5),
                Duration.ofHours(24),
                false,
                Duration.ofSeconds(120),
                Duration.ofSeconds(2),
                Duration.ofMinutes(5)));
  }

  @Test
  void toBuilder_roundTripsEveryField() {
    FallbackConfig custom =
        new FallbackConfig(
            FallbackStrategy.AVAILABILITY,
            Duration.ofMinutes(10),
            1,
            false,
            9,
            0,
            Duration.ofMillis(100),
            3.0,
            Duration.ofSeconds(8),
            0.5,
            Duration.ZERO,
            Duration.ofHours(2),
            true,
            Duration.ofSeconds(30),
            Duration.ofMillis(700),
            Duration.ofMinutes(1));

    assertThat(custom.toBuilder().build()).isEqualTo(custom);
  }

  @Test
  void counts_mustBePositiveAndRetriesNotNegative() {
    assertThatThrownBy(() -> FallbackConfig.builder().maxFailures(0).build())
        .hasMessage("max_failures: must be greater than 0, was 0");
    assertThatThrownBy(() -> FallbackConfig.builder().maxAttempts(0).build())
        .hasMessage("max_attempts: must be greater than 0, was 0");
    assertThatThrownBy(() -> FallbackConfig.builder().maxRetriesPerModel(-1).build())
        .hasMessage("max_retries_per_model: must not be negative, was -1");
    assertThat(FallbackConfig.builder().maxFailures(1).maxAttempts(1).maxRetriesPerModel(0).build())
        .isNotNull();
  }

  @Test
  void durations_mustBePositive() {
    assertThatThrownBy(() -> FallbackConfig.builder().exclusionWindow(Duration.ZERO).build())
        .hasMessage("exclusion_window: must be greater than 0, was PT0S");
    assertThatThrownBy(() -> FallbackConfig.builder().backoffBase(Duration.ofMillis(-1)).build())
        .hasMessage("backoff_base: must be greater than 0, was PT-0.001S");
    assertThatThrownBy(() -> FallbackConfig.builder().requestDeadline(Duration.ZERO).build())
        .hasMessage("request_deadline: must be greater than 0, was PT0S");
    assertThatThrownBy(() -> FallbackConfig.builder().strategy(null).build())
        .hasMessage("strategy: is required");
    assertThatThrownBy(() -> FallbackConfig.builder().exclusionWindow(null).build())
        .hasMessage("exclusion_window: is required");
  }

  @Test
  void backoffMultiplier_mustBeFiniteAndAtLeastOne() {
    assertThatThrownBy(() -> FallbackConfig.builder().backoffMultiplier(0.99).build())
        .hasMessage("backoff_multiplier: must be a finite number of at least 1, was 0.99");
    assertThatThrownBy(
            () -> FallbackConfig.builder().backoffMultiplier(Double.POSITIVE_INFINITY).build())
        .hasMessageStartingWith("backoff_multiplier:");
    assertThatThrownBy(() -> FallbackConfig.builder().backoffMultiplier(Double.NaN).build())
        .hasMessageStartingWith("backoff_multiplier:");
    assertThat(FallbackConfig.builder().backoffMultiplier(1.0).build().backoffMultiplier())
        .isEqualTo(1.0);
  }

  @Test
  void backoffMax_mustNotBeShorterThanTheBase() {
    assertThatThrownBy(
            () ->
                FallbackConfig.builder()
                    .backoffBase(Duration.ofMillis(500))
                    .backoffMax(Duration.ofMillis(499))
                    .build())
        .hasMessage("backoff_max: must not be shorter than backoff_base PT0.5S, was PT0.499S");
    assertThatThrownBy(() -> FallbackConfig.builder().backoffMax(null).build())
        .hasMessage("backoff_max: is required");
    assertThat(
            FallbackConfig.builder()
                .backoffBase(Duration.ofMillis(500))
                .backoffMax(Duration.ofMillis(500))
                .build()
                .backoffMax())
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void jitter_mustBeBetweenZeroAndOne() {
    assertThatThrownBy(() -> FallbackConfig.builder().jitter(-0.01).build())
        .hasMessage("jitter: must be between 0.0 and 1.0, was -0.01");
    assertThatThrownBy(() -> FallbackConfig.builder().jitter(1.01).build())
        .hasMessage("jitter: must be between 0.0 and 1.0, was 1.01");
    assertThat(FallbackConfig.builder().jitter(0).build().jitter()).isZero();
    assertThat(FallbackConfig.builder().jitter(1).build().jitter()).isEqualTo(1.0);
  }

  @Test
  void maxRetryAfter_mayBeZeroButNotNegative() {
    assertThatThrownBy(() -> FallbackConfig.builder().maxRetryAfter(Duration.ofMillis(-1)).build())
        .hasMessage("max_retry_after: must not be negative, was PT-0.001S");
    assertThatThrownBy(() -> FallbackConfig.builder().maxRetryAfter(null).build())
        .hasMessage("max_retry_after: is required");
    assertThat(FallbackConfig.builder().maxRetryAfter(Duration.ZERO).build().maxRetryAfter())
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void failureRetention_mustCoverTheExclusionWindow() {
    assertThatThrownBy(
            () ->
                FallbackConfig.builder()
                    .exclusionWindow(Duration.ofMinutes(30))
                    .failureRetention(Duration.ofMinutes(29))
                    .build())
        .hasMessage(
            "failure_retention: must not be shorter than exclusion_window PT30M, was PT29M");
    assertThatThrownBy(() -> FallbackConfig.builder().failureRetention(null).build())
        .hasMessage("failure_retention: is required");
    assertThat(
            FallbackConfig.builder()
                .exclusionWindow(Duration.ofMinutes(30))
                .failureRetention(Duration.ofMinutes(30))
                .build()
                .failureRetention())
        .isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void fastFailureLimit_mayBeZero_andTheProviderRecheckMustBePositive() {
    assertThatThrownBy(
            () -> FallbackConfig.builder().fastFailureLimit(Duration.ofMillis(-1)).build())
        .hasMessage("fast_failure_limit: must not be negative, was PT-0.001S");
    assertThat(FallbackConfig.builder().fastFailureLimit(Duration.ZERO).build().fastFailureLimit())
        .isZero();
    assertThatThrownBy(() -> FallbackConfig.builder().providerRecheckAfter(Duration.ZERO).build())
        .hasMessage("provider_recheck_after: must be greater than 0, was PT0S");
  }
}
