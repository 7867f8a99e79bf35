package dev.tta.models.monitoring;

import static dev.tta.models.testing.PropertyChecks.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.tta.models.provider.ErrorClass;
import dev.tta.models.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class PerformanceMonitorProperties {

  /** On a boundary of every bucket width. */
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** HdrHistogram at 3 significant digits keeps a value within 1/1000 of itself. */
  private static final double PRECISION = 0.001;

  @Test
  void latencyStats_ordered_countedAndNearTheTrueExtremes() {
    qt(200)
        .forAll(lists().of(longs().between(0, 600_000_000)).ofSizeBetween(1, 200))
        .checkAssert(
            micros -> {
              ManualTimeSource time = new ManualTimeSource(T0);
              PerformanceMonitor monitor = new PerformanceMonitor(time);
              for (long value : micros) {
                monitor.record(TestCalls.at(T0).latency(Duration.ofNanos(value * 1_000)).build());
              }

              DurationStats latency =
                  monitor
                      .modelStats(TestCalls.MODEL_A, TimeWindow.ONE_MINUTE)
                      .orElseThrow()
                      .latency();

              assertThat(latency.count()).isEqualTo(micros.size());
              assertThat(latency.minMs()).isLessThanOrEqualTo(latency.p50Ms());
              assertThat(latency.p50Ms()).isLessThanOrEqualTo(latency.p95Ms());
              assertThat(latency.p95Ms()).isLessThanOrEqualTo(latency.p99Ms());
              assertThat(latency.p99Ms()).isLessThanOrEqualTo(latency.maxMs());
              assertThat(latency.meanMs()).isBetween(latency.minMs(), latency.maxMs());
              double trueMinMs = Collections.min(micros) / 1000.0;
              double trueMaxMs = Collections.max(micros) / 1000.0;
              assertThat(latency.minMs()).isCloseTo(trueMinMs, within(trueMinMs * PRECISION));
              assertThat(latency.maxMs()).isCloseTo(trueMaxMs, within(trueMaxMs * PRECISION));
            });
  }

  @Test
  void calls_equalTheRecordsInsideTheWindow() {
    qt(200)
        .forAll(
            integers().between(0, 4_999),
            lists().of(integers().between(0, 120_000)).ofSizeBetween(0, 100))
        .checkAssert(
            (millisIntoBucket, agesMillis) -> {
              Instant now = T0.plus(Duration.ofMinutes(10)).plusMillis(millisIntoBucket);
              ManualTimeSource time = new ManualTimeSource(now);
              PerformanceMonitor monitor = new PerformanceMonitor(time);
              for (int age : agesMillis) {
                monitor.record(TestCalls.at(now.minusMillis(age)).build());
              }

              // the present's bucket starts millisIntoBucket before now; the minute holds it and
              // the 11 before it, so a record is in when its age is at most millisIntoBucket + 55 s
              long inMinute =
                  agesMillis.stream().filter(age -> age <= millisIntoBucket + 55_000).count();
              assertThat(monitor.systemStats(TimeWindow.ONE_MINUTE).calls()).isEqualTo(inMinute);
              assertThat(monitor.systemStats(TimeWindow.ONE_HOUR).calls())
                  .isEqualTo(agesMillis.size());
              assertThat(
                      monitor
                          .modelStats(TestCalls.MODEL_A, TimeWindow.ONE_MINUTE)
                          .map(ModelStats::calls)
                          .orElse(0L))
                  .isEqualTo(inMinute);
            });
  }

  /** An outcome of -1 is a success, 0 to 8 a failure of that {@link ErrorClass} ordinal. */
  @Test
  void successesAndErrors_addUpToTheCalls() {
    qt(200)
        .forAll(lists().of(integers().between(-1, 8)).ofSizeBetween(0, 60))
        .checkAssert(
            outcomes -> {
              ManualTimeSource time = new ManualTimeSource(T0);
              PerformanceMonitor monitor = new PerformanceMonitor(time);
              long successes = 0;
              for (int outcome : outcomes) {
                TestCalls call = TestCalls.at(T0);
                if (outcome < 0) {
                  successes++;
                } else {
                  call.failed(ErrorClass.values()[outcome]);
                }
                monitor.record(call.build());
              }

              ModelStats stats = monitor.systemStats(TimeWindow.ONE_DAY);

              assertThat(stats.calls()).isEqualTo(outcomes.size());
              assertThat(stats.successes()).isEqualTo(successes);
              assertThat(
                      stats.successes() + stats.errors().values().stream().mapToLong(n -> n).sum())
                  .isEqualTo(stats.calls());
              assertThat(stats.latency().count()).isEqualTo(successes);
            });
  }
}
