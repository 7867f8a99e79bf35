package dev.tta.models.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.provider.ErrorClass;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SeriesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DurationHistograms histograms =
      new DurationHistograms(Duration.ofMinutes(10), registry.counter("clamped"));
  private final ModelMeters meters = new ModelMeters(registry, TestCalls.MODEL_A);
  private final Series series = new Series(histograms, meters::record, meters::remove, T0, 1);

  @Test
  void evict_laterCallsIgnoredAndNoMeterComesBack() throws Exception {
    series.record(TestCalls.at(T0).build(), 100_000, DurationHistograms.NO_VALUE, T0, 2, true);

    series.evict();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      // from another thread, so that a lock kept by evict() would show as a timeout (2 s: the
      // record takes microseconds, and a lock kept fails the test before PIT's own timeout)
      other
          .submit(
              () ->
                  series.record(
                      TestCalls.at(T0).failed(ErrorClass.TIMEOUT).build(),
                      DurationHistograms.NO_VALUE,
                      DurationHistograms.NO_VALUE,
                      T0,
                      3,
                      true))
          .get(2, TimeUnit.SECONDS);
    } finally {
      other.shutdownNow();
    }

    assertThat(series.stats(TimeWindow.ONE_MINUTE, T0).map(ModelStats::calls)).contains(1L);
    assertThat(series.lastRecorded()).isEqualTo(2);
    assertThat(registry.find(PerformanceMonitor.CALLS).meters()).isEmpty();
    assertThat(registry.find(PerformanceMonitor.OPERATION_DURATION).meters()).isEmpty();
  }

  @Test
  void record_tellsTheListenerAndRemembersTheSequence() {
    series.record(TestCalls.at(T0).build(), 100_000, DurationHistograms.NO_VALUE, T0, 7, true);

    assertThat(series.lastRecorded()).isEqualTo(7);
    assertThat(registry.get(PerformanceMonitor.CALLS).counter().count()).isEqualTo(1.0);
  }
}
