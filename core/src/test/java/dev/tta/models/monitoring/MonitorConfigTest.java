package dev.tta.models.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.time.ManualTimeSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MonitorConfigTest {

  @Test
  void defaults_namedConstants() {
    MonitorConfig config = MonitorConfig.defaults();

    assertThat(config.maxTrackedModels()).isEqualTo(64);
    assertThat(config.highestTrackableDuration()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void builder_setsEveryField() {
    MonitorConfig config =
        MonitorConfig.builder()
            .maxTrackedModels(3)
            .highestTrackableDuration(Duration.ofMinutes(2))
            .build();

    assertThat(config).isEqualTo(new MonitorConfig(3, Duration.ofMinutes(2)));
    assertThat(config.toBuilder().build()).isEqualTo(config);
  }

  @Test
  void maxTrackedModels_oneIsTheSmallestAccepted() {
    assertThat(MonitorConfig.builder().maxTrackedModels(1).build().maxTrackedModels()).isOne();
    assertThatThrownBy(() -> MonitorConfig.builder().maxTrackedModels(0).build())
        .hasMessage("max_tracked_models: must be greater than 0, was 0");
  }

  @Test
  void highestTrackableDuration_boundsAreInclusive() {
    assertThat(
            MonitorConfig.builder()
                .highestTrackableDuration(Duration.ofSeconds(1))
                .build()
                .highestTrackableDuration())
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(
            MonitorConfig.builder()
                .highestTrackableDuration(Duration.ofDays(1))
                .build()
                .highestTrackableDuration())
        .isEqualTo(Duration.ofDays(1));
  }

  @Test
  void highestTrackableDuration_outsideTheBounds_rejected() {
    assertThatThrownBy(
            () ->
                MonitorConfig.builder()
                    .highestTrackableDuration(Duration.ofSeconds(1).minusNanos(1))
                    .build())
        .hasMessage(
            "highest_trackable_duration: must be between PT1S and PT24H, was PT0.999999999S");
    assertThatThrownBy(
            () ->
                MonitorConfig.builder()
                    .highestTrackableDuration(Duration.ofDays(1).plusNanos(1))
                    .build())
        .hasMessageStartingWith("highest_trackable_duration: must be between");
    assertThatThrownBy(() -> MonitorConfig.builder().highestTrackableDuration(null).build())
        .hasMessage("highest_trackable_duration: is required");
  }

  @Test
  void highestTrackableDuration_shorter_clampsLongerCalls() {
    ManualTimeSource time = new ManualTimeSource();
    PerformanceMonitor monitor =
        new PerformanceMonitor(
            time,
            MonitorConfig.builder().highestTrackableDuration(Duration.ofSeconds(2)).build(),
            new SimpleMeterRegistry());

    monitor.record(TestCalls.at(time.instant()).latencyMillis(2_000).build());
    monitor.record(TestCalls.at(time.instant()).latencyMillis(2_001).build());

    // 2,000 ms is the highest trackable value itself; 2,001 ms is above it
    assertThat(monitor.clampedValues()).isEqualTo(1);
  }
}
