package dev.tta.models.monitoring;

import static dev.tta.models.monitoring.TestCalls.MODEL_A;
import static dev.tta.models.monitoring.TestCalls.MODEL_B;
import static dev.tta.models.monitoring.TestCalls.MODEL_C;
import static dev.tta.models.monitoring.TimeWindow.ONE_DAY;
import static dev.tta.models.monitoring.TimeWindow.ONE_HOUR;
import static dev.tta.models.monitoring.TimeWindow.ONE_MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.time.ManualTimeSource;
import dev.tta.models.time.TimeSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PerformanceMonitorTest {

  /** On a boundary of every bucket width (5 s, 1 min, 1 h), so window edges fall on round times. */
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final ManualTimeSource time = new ManualTimeSource(T0);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final PerformanceMonitor monitor =
      new PerformanceMonitor(time, MonitorConfig.defaults(), registry);

  private void recordLatenciesOneTo100Ms() {
    for (int millis = 1; millis <= 100; millis++) {
      monitor.record(TestCalls.at(T0).latencyMillis(millis).build());
    }
  }

  private ModelStats statsA(TimeWindow window) {
    return monitor.modelStats(MODEL_A, window).orElseThrow();
  }

  private long callsA(TimeWindow window) {
    return monitor.modelStats(MODEL_A, window).map(ModelStats::calls).orElse(0L);
  }

  // --- percentiles ---

  @Test
  void modelStats_latencies1To100Ms_percentilesWithinHdrPrecision() {
    recordLatenciesOneTo100Ms();

    DurationStats latency = statsA(ONE_MINUTE).latency();

    // The n-th of 100 sorted values is n ms: p50 is the 50th value, p95 the 95th, p99 the 99th;
    // the mean of 1..100 is 5050 / 100 = 50.5. With 3 significant digits HdrHistogram reports a
    // value from the same bin, and a bin is at most 1/1024 of its values wide, so every figure is
    // within 0.1 % of the exact one.
    assertThat(latency.count()).isEqualTo(100);
    assertThat(latency.p50Ms()).isCloseTo(50.0, withinPercentage(0.1));
    assertThat(latency.p95Ms()).isCloseTo(95.0, withinPercentage(0.1));
    assertThat(latency.p99Ms()).isCloseTo(99.0, withinPercentage(0.1));
    assertThat(latency.minMs()).isCloseTo(1.0, withinPercentage(0.1));
    assertThat(latency.maxMs()).isCloseTo(100.0, withinPercentage(0.1));
    assertThat(latency.meanMs()).isCloseTo(50.5, withinPercentage(0.1));
  }

  @Test
  void modelStats_latencies1To100Ms_reportHdrBinEdges() {
    recordLatenciesOneTo100Ms();

    DurationStats latency = statsA(ONE_MINUTE).latency();

    // Values are microseconds; with 2048 sub-buckets, 32,768..65,535 us lie in bins 32 us wide and
    // 65,536..131,071 us in bins 64 us wide. Percentiles and the maximum are reported as the
    // highest value of their bin, the minimum as the lowest:
    // 50,000 us: bin 49,984..50,015 -> 50.015 ms; 95,000: 94,976..95,039 -> 95.039 ms;
    // 99,000: 98,944..99,007 -> 99.007 ms; 100,000: 99,968..100,031 -> 100.031 ms;
    // 1,000 us lies below 2,048, where bins are 1 us wide -> exactly 1.000 ms.
    assertThat(latency.p50Ms()).isEqualTo(50.015);
    assertThat(latency.p95Ms()).isEqualTo(95.039);
    assertThat(latency.p99Ms()).isEqualTo(99.007);
    assertThat(latency.maxMs()).isEqualTo(100.031);
    assertThat(latency.minMs()).isEqualTo(1.0);
    assertThat(latency.p50()).isEqualTo(Duration.ofNanos(50_015_000));
  }

  @Test
  void modelStats_timeToFirstToken_fromStreamedSuccessesOnly() {
    monitor.record(TestCalls.at(T0).latencyMillis(900).timeToFirstTokenMillis(200).build());
    monitor.record(TestCalls.at(T0).latencyMillis(900).timeToFirstTokenMillis(400).build());
    monitor.record(TestCalls.at(T0).latencyMillis(900).build());
    monitor.record(TestCalls.at(T0).latencyMillis(900).failed(ErrorClass.TIMEOUT).build());

    ModelStats stats = statsA(ONE_MINUTE);

    // two streamed successes, 200 and 400 ms: 200,000 and 400,000 us lie in bins 128 and 256 us
    // wide, within 0.1 %; mean (200 + 400) / 2 = 300
    assertThat(stats.timeToFirstToken().count()).isEqualTo(2);
    assertThat(stats.timeToFirstToken().minMs()).isCloseTo(200.0, withinPercentage(0.1));
    assertThat(stats.timeToFirstToken().maxMs()).isCloseTo(400.0, withinPercentage(0.1));
    assertThat(stats.timeToFirstToken().meanMs()).isCloseTo(300.0, withinPercentage(0.1));
    // latency: the three successes only, the failure is left out
    assertThat(stats.latency().count()).isEqualTo(3);
  }

  @Test
  void modelStats_failedStreamWithAFirstToken_leftOutOfTimeToFirstToken() {
    monitor.record(
        TestCalls.at(T0)
            .latencyMillis(900)
            .timeToFirstTokenMillis(200)
            .failed(ErrorClass.UNAVAILABLE)
            .build());

    assertThat(statsA(ONE_MINUTE).timeToFirstToken()).isEqualTo(DurationStats.EMPTY);
  }

  @Test
  void modelStats_noStreamedCall_emptyTimeToFirstToken() {
    monitor.record(TestCalls.at(T0).latencyMillis(900).build());

    assertThat(statsA(ONE_MINUTE).timeToFirstToken()).isEqualTo(DurationStats.EMPTY);
  }

  @Test
  void modelStats_onlyFailures_emptyLatency() {
    monitor.record(TestCalls.at(T0).latencyMillis(900).failed(ErrorClass.UNAVAILABLE).build());

    ModelStats stats = statsA(ONE_MINUTE);

    assertThat(stats.calls()).isEqualTo(1);
    assertThat(stats.latency()).isEqualTo(DurationStats.EMPTY);
  }

  // --- windows ---

  @Test
  void modelStats_nothingRecorded_isEmpty() {
    assertThat(monitor.modelStats(MODEL_A, ONE_MINUTE)).isEmpty();
    assertThat(monitor.allModelStats(ONE_DAY)).isEmpty();
  }

  @Test
  void modelStats_recordAtBucketStart_staysExactlyOneWindowLength() {
    monitor.record(TestCalls.at(T0).build());

    // the record opens bucket [T0, T0 + 5 s); the minute window drops it when the present
    // reaches T0 + 12 x 5 s = T0 + 60 s
    time.advance(Duration.ofSeconds(60).minusMillis(1));
    assertThat(callsA(ONE_MINUTE)).isEqualTo(1);

    time.advanceMillis(1);
    assertThat(monitor.modelStats(MODEL_A, ONE_MINUTE)).isEmpty();
    assertThat(callsA(ONE_HOUR)).isEqualTo(1);
  }

  @Test
  void modelStats_recordLateInBucket_expiresWithItsBucket() {
    time.advance(Duration.ofMillis(4_999));
    monitor.record(TestCalls.at(T0.plusMillis(4_999)).build());

    // same bucket [T0, T0 + 5 s), so it leaves at T0 + 60 s, after 55.001 s in the window
    time.advance(Duration.ofMillis(55_000));
    assertThat(callsA(ONE_MINUTE)).isEqualTo(1);

    time.advanceMillis(1);
    assertThat(callsA(ONE_MINUTE)).isZero();
  }

  @Test
  void modelStats_lateRecords_countOnlyFromTheOldestLiveBucket() {
    time.advance(Duration.ofSeconds(60));

    // at T0 + 60 s the minute window holds buckets T0 + 5 s .. T0 + 60 s (12 of 5 s)
    monitor.record(TestCalls.at(T0.plusSeconds(5)).build());
    monitor.record(TestCalls.at(T0.plusSeconds(5).minusMillis(1)).build());

    assertThat(callsA(ONE_MINUTE)).isEqualTo(1);
    assertThat(callsA(ONE_HOUR)).isEqualTo(2);
  }

  @Test
  void modelStats_oneHourWindow_dropsRecordAfterOneHour() {
    monitor.record(TestCalls.at(T0).build());

    time.advance(Duration.ofHours(1).minusMillis(1));
    assertThat(callsA(ONE_HOUR)).isEqualTo(1);
    assertThat(callsA(ONE_MINUTE)).isZero();

    time.advanceMillis(1);
    assertThat(callsA(ONE_HOUR)).isZero();
    assertThat(callsA(ONE_DAY)).isEqualTo(1);
  }

  @Test
  void modelStats_oneDayWindow_dropsRecordAfterOneDay() {
    monitor.record(TestCalls.at(T0).build());

    time.advance(Duration.ofDays(1).minusMillis(1));
    assertThat(callsA(ONE_DAY)).isEqualTo(1);

    time.advanceMillis(1);
    assertThat(monitor.modelStats(MODEL_A, ONE_DAY)).isEmpty();
  }

  @Test
  void modelStats_recordStampedInTheFuture_countsInThePresentBucket() {
    monitor.record(TestCalls.at(T0.plus(Duration.ofMinutes(10))).build());

    assertThat(callsA(ONE_MINUTE)).isEqualTo(1);
    // it was put in the bucket [T0, T0 + 5 s), which the minute window drops at T0 + 60 s
    time.advance(Duration.ofSeconds(60));
    assertThat(callsA(ONE_MINUTE)).isZero();
  }

  @Test
  void modelStats_bucketLeavesWindow_itsLatenciesLeaveThePercentiles() {
    monitor.record(TestCalls.at(T0).latencyMillis(100).build());
    time.advance(Duration.ofSeconds(10));
    monitor.record(TestCalls.at(T0.plusSeconds(10)).latencyMillis(300).build());

    time.advance(Duration.ofSeconds(50));

    // T0 + 60 s: the 100 ms call (bucket T0) has left the minute, the 300 ms call (T0 + 10 s) not
    DurationStats minute = statsA(ONE_MINUTE).latency();
    assertThat(minute.count()).isEqualTo(1);
    assertThat(minute.minMs()).isCloseTo(300.0, withinPercentage(0.1));
    assertThat(minute.p50Ms()).isCloseTo(300.0, withinPercentage(0.1));
    assertThat(minute.maxMs()).isCloseTo(300.0, withinPercentage(0.1));
    DurationStats hour = statsA(ONE_HOUR).latency();
    assertThat(hour.count()).isEqualTo(2);
    assertThat(hour.minMs()).isCloseTo(100.0, withinPercentage(0.1));
  }

  @Test
  void modelStats_bucketOfTwoCallsLeaves_bothLeaveThePercentiles() {
    monitor.record(TestCalls.at(T0).latencyMillis(100).timeToFirstTokenMillis(10).build());
    monitor.record(TestCalls.at(T0).latencyMillis(200).timeToFirstTokenMillis(20).build());
    time.advance(Duration.ofSeconds(10));
    monitor.record(
        TestCalls.at(T0.plusSeconds(10)).latencyMillis(300).timeToFirstTokenMillis(30).build());
    time.advance(Duration.ofSeconds(50));

    // T0 + 60 s: both calls of bucket T0 leave; only the 300 ms call (T0 + 10 s) remains
    ModelStats minute = statsA(ONE_MINUTE);
    assertThat(minute.latency().count()).isEqualTo(1);
    assertThat(minute.latency().minMs()).isCloseTo(300.0, withinPercentage(0.1));
    assertThat(minute.timeToFirstToken().count()).isEqualTo(1);
    assertThat(minute.timeToFirstToken().minMs()).isCloseTo(30.0, withinPercentage(0.1));
  }

  @Test
  void modelStats_onlySuccessfulBucketLeaves_latencyEmptyWhileTheFailureStays() {
    monitor.record(TestCalls.at(T0).latencyMillis(100).build());
    time.advance(Duration.ofSeconds(10));
    monitor.record(
        TestCalls.at(T0.plusSeconds(10)).latencyMillis(100).failed(ErrorClass.TIMEOUT).build());
    time.advance(Duration.ofSeconds(50));

    ModelStats minute = statsA(ONE_MINUTE);

    assertThat(minute.calls()).isEqualTo(1);
    assertThat(minute.latency()).isEqualTo(DurationStats.EMPTY);
  }

  @Test
  void modelStats_slotTakenByANewBucket_startsFromZero() {
    monitor.record(TestCalls.at(T0).latencyMillis(100).timeToFirstTokenMillis(50).build());
    time.advance(Duration.ofSeconds(60));
    // T0 + 60 s falls in the same slot of the 12-bucket ring as T0 (12 buckets later)
    monitor.record(
        TestCalls.at(T0.plusSeconds(60)).latencyMillis(700).timeToFirstTokenMillis(70).build());

    ModelStats minute = statsA(ONE_MINUTE);

    assertThat(minute.calls()).isEqualTo(1);
    assertThat(minute.latency().count()).isEqualTo(1);
    assertThat(minute.latency().minMs()).isCloseTo(700.0, withinPercentage(0.1));
    assertThat(minute.timeToFirstToken().count()).isEqualTo(1);
    assertThat(minute.timeToFirstToken().minMs()).isCloseTo(70.0, withinPercentage(0.1));
  }

  @Test
  void modelStats_oneOfTwoBucketsWithTimeToFirstTokenLeaves_theOtherStays() {
    monitor.record(TestCalls.at(T0).latencyMillis(100).timeToFirstTokenMillis(50).build());
    time.advance(Duration.ofSeconds(30));
    monitor.record(
        TestCalls.at(T0.plusSeconds(30)).latencyMillis(100).timeToFirstTokenMillis(90).build());
    time.advance(Duration.ofSeconds(30));

    // T0 + 60 s: the bucket of T0 left, the one of T0 + 30 s stays
    DurationStats ttft = statsA(ONE_MINUTE).timeToFirstToken();
    assertThat(ttft.count()).isEqualTo(1);
    assertThat(ttft.minMs()).isCloseTo(90.0, withinPercentage(0.1));
  }

  @Test
  void modelStats_gapLongerThanEveryShortWindow_keepsOnlyTheDay() {
    monitor.record(TestCalls.at(T0).latencyMillis(100).build());
    time.advance(Duration.ofHours(2));
    monitor.record(TestCalls.at(T0.plus(Duration.ofHours(2))).latencyMillis(500).build());

    assertThat(callsA(ONE_MINUTE)).isEqualTo(1);
    assertThat(statsA(ONE_MINUTE).latency().minMs()).isCloseTo(500.0, withinPercentage(0.1));
    assertThat(callsA(ONE_HOUR)).isEqualTo(1);
    assertThat(callsA(ONE_DAY)).isEqualTo(2);
  }

  @Test
  void modelStats_clockGoesBack_keepsWhatWasRecorded() {
    AtomicReference<Instant> now = new AtomicReference<>(T0.plusSeconds(30));
    TimeSource settable =
        new TimeSource() {
          @Override
          public Instant instant() {
            return now.get();
          }

          @Override
          public long nanoTime() {
            return 0;
          }
        };
    PerformanceMonitor skewed = new PerformanceMonitor(settable);
    skewed.record(TestCalls.at(T0.plusSeconds(30)).build());

    now.set(T0);
    assertThat(skewed.modelStats(MODEL_A, ONE_MINUTE).map(ModelStats::calls)).contains(1L);
    now.set(T0.plusSeconds(30));
    assertThat(skewed.modelStats(MODEL_A, ONE_MINUTE).map(ModelStats::calls)).contains(1L);
  }

  @Test
  void modelStats_nothingChanged_returnsTheSameComputedStats() {
    monitor.record(TestCalls.at(T0).build());

    ModelStats first = statsA(ONE_MINUTE);
    time.advanceMillis(1_000);

    assertThat(statsA(ONE_MINUTE)).isSameAs(first);
    monitor.record(TestCalls.at(T0.plusSeconds(1)).build());
    assertThat(statsA(ONE_MINUTE).calls()).isEqualTo(2);
  }

  // --- counters ---

  @Test
  void modelStats_successesAndFailures_successRateAndErrorsByClass() {
    monitor.record(TestCalls.at(T0).build());
    monitor.record(TestCalls.at(T0).build());
    monitor.record(TestCalls.at(T0).build());
    monitor.record(TestCalls.at(T0).failed(ErrorClass.TIMEOUT).build());
    monitor.record(TestCalls.at(T0).failed(ErrorClass.RATE_LIMITED).build());
    monitor.record(TestCalls.at(T0).failed(ErrorClass.RATE_LIMITED).build());

    ModelStats stats = statsA(ONE_MINUTE);

    // 3 successes of 6 calls = 0.5
    assertThat(stats.calls()).isEqualTo(6);
    assertThat(stats.successes()).isEqualTo(3);
    assertThat(stats.successRate()).isEqualTo(0.5);
    assertThat(stats.errors())
        .isEqualTo(Map.of(ErrorClass.TIMEOUT, 1L, ErrorClass.RATE_LIMITED, 2L));
    assertThat(stats.window()).isEqualTo(ONE_MINUTE);
  }

  @Test
  void modelStats_tokensPerSecond_meanAndMaxOverSuccessesThatGenerated() {
    // 100 tokens in 2 s (no stream) = 50 tokens/s
    monitor.record(TestCalls.at(T0).latencyMillis(2_000).tokens(10, 100).build());
    // 300 tokens in 1.5 s less 0.5 s to the first token = 300 / 1 s = 300 tokens/s
    monitor.record(
        TestCalls.at(T0).latencyMillis(1_500).timeToFirstTokenMillis(500).tokens(10, 300).build());
    // nothing generated: no speed
    monitor.record(TestCalls.at(T0).latencyMillis(1_000).tokens(10, 0).build());
    monitor.record(TestCalls.at(T0).failed(ErrorClass.TIMEOUT).build());

    ModelStats stats = statsA(ONE_MINUTE);

    // mean (50 + 300) / 2 = 175, max 300
    assertThat(stats.tokensPerSecondMean()).isCloseTo(175.0, within(1e-9));
    assertThat(stats.tokensPerSecondMax()).isCloseTo(300.0, within(1e-9));
  }

  @Test
  void modelStats_noCallGenerated_zeroTokensPerSecond() {
    monitor.record(TestCalls.at(T0).tokens(10, 0).build());

    assertThat(statsA(ONE_MINUTE).tokensPerSecondMean()).isZero();
    assertThat(statsA(ONE_MINUTE).tokensPerSecondMax()).isZero();
  }

  @Test
  void modelStats_tokensAndCost_summedOverEveryCall() {
    monitor.record(TestCalls.at(T0).tokens(100, 20).cost(0.25).build());
    monitor.record(TestCalls.at(T0).tokens(300, 40).cost(0.5).build());
    monitor.record(TestCalls.at(T0).failed(ErrorClass.TIMEOUT).build());

    ModelStats stats = statsA(ONE_MINUTE);

    // prompt 100 + 300 = 400; completion 20 + 40 = 60; cost 0.25 + 0.5 + 0 = 0.75
    assertThat(stats.promptTokens()).isEqualTo(400);
    assertThat(stats.completionTokens()).isEqualTo(60);
    assertThat(stats.costUsd()).isEqualTo(0.75);
  }

  @Test
  void modelStats_suppliedScoresAndUsage_averagedOverCallsThatSuppliedThem() {
    monitor.record(
        TestCalls.at(T0)
            .quality(8)
            .safety(9)
            .memoryBytes(1_000)
            .cpuPercent(20)
            .gpuPercent(50)
            .build());
    monitor.record(
        TestCalls.at(T0)
            .quality(6)
            .safety(7)
            .memoryBytes(3_000)
            .cpuPercent(40)
            .gpuPercent(70)
            .build());
    monitor.record(TestCalls.at(T0).build());

    ModelStats stats = statsA(ONE_MINUTE);

    // the third call supplied nothing: quality (8 + 6) / 2 = 7, safety (9 + 7) / 2 = 8,
    // memory (1000 + 3000) / 2 = 2000, cpu (20 + 40) / 2 = 30, gpu (50 + 70) / 2 = 60
    assertThat(stats.qualityMean()).hasValue(7.0);
    assertThat(stats.safetyMean()).hasValue(8.0);
    assertThat(stats.memoryBytesMean()).hasValue(2_000.0);
    assertThat(stats.cpuPercentMean()).hasValue(30.0);
    assertThat(stats.gpuPercentMean()).hasValue(60.0);
  }

  @Test
  void modelStats_nothingSupplied_emptyMeans() {
    monitor.record(TestCalls.at(T0).build());

    ModelStats stats = statsA(ONE_MINUTE);

    assertThat(stats.qualityMean()).isEmpty();
    assertThat(stats.safetyMean()).isEmpty();
    assertThat(stats.memoryBytesMean()).isEmpty();
    assertThat(stats.cpuPercentMean()).isEmpty();
    assertThat(stats.gpuPercentMean()).isEmpty();
    assertThat(stats.errors()).isEmpty();
  }

  // --- clamping ---

  @Test
  void record_latencyAboveHighestTrackable_clampedAndCounted() {
    monitor.record(TestCalls.at(T0).latency(Duration.ofMinutes(11)).build());

    // recorded as 10 min = 600,000 ms, within HdrHistogram's 0.1 %
    assertThat(statsA(ONE_MINUTE).latency().maxMs()).isCloseTo(600_000.0, withinPercentage(0.1));
    assertThat(monitor.clampedValues()).isEqualTo(1);
    assertThat(registry.get(PerformanceMonitor.CLAMPED_VALUES).counter().count()).isEqualTo(1.0);
  }

  @Test
  void record_timeToFirstTokenAboveHighestTrackable_clampedAndCounted() {
    monitor.record(
        TestCalls.at(T0)
            .latency(Duration.ofMinutes(12))
            .timeToFirstTokenMillis(Duration.ofMinutes(11).toMillis())
            .build());

    // latency and time to first token: two values clamped
    assertThat(monitor.clampedValues()).isEqualTo(2);
    assertThat(statsA(ONE_MINUTE).timeToFirstToken().maxMs())
        .isCloseTo(600_000.0, withinPercentage(0.1));
  }

  @Test
  void record_latencyExactlyAtHighestTrackable_notClamped() {
    monitor.record(TestCalls.at(T0).latency(Duration.ofMinutes(10)).build());

    assertThat(monitor.clampedValues()).isZero();
    assertThat(statsA(ONE_MINUTE).latency().maxMs()).isCloseTo(600_000.0, withinPercentage(0.1));
  }

  @Test
  void record_failedCallAboveHighestTrackable_notInHistogramsSoNotClamped() {
    monitor.record(
        TestCalls.at(T0).latency(Duration.ofMinutes(11)).failed(ErrorClass.TIMEOUT).build());

    assertThat(monitor.clampedValues()).isZero();
  }

  // --- several models, providers, system, tasks ---

  @Test
  void allModelStats_modelsWithCallsInTheWindow_inKeyOrder() {
    monitor.record(TestCalls.at(T0).model(MODEL_C).build());
    monitor.record(TestCalls.at(T0).model(MODEL_B).build());
    time.advance(Duration.ofSeconds(60));
    monitor.record(TestCalls.at(T0.plusSeconds(60)).model(MODEL_A).build());

    // B and C were recorded in the bucket of T0, which the minute window has left
    assertThat(monitor.allModelStats(ONE_MINUTE)).containsOnlyKeys(MODEL_A);
    assertThat(monitor.allModelStats(ONE_HOUR).keySet()).containsExactly(MODEL_A, MODEL_B, MODEL_C);
    assertThat(monitor.allModelStats(ONE_HOUR).get(MODEL_B).calls()).isEqualTo(1);
  }

  @Test
  void systemStats_noCall_zeroCallsEmptyDurationsFullSuccessRate() {
    ModelStats stats = monitor.systemStats(ONE_HOUR);

    assertThat(stats.window()).isEqualTo(ONE_HOUR);
    assertThat(stats.calls()).isZero();
    assertThat(stats.latency()).isEqualTo(DurationStats.EMPTY);
    assertThat(stats.timeToFirstToken()).isEqualTo(DurationStats.EMPTY);
    assertThat(stats.costUsd()).isZero();
    assertThat(stats.successRate()).isEqualTo(1.0);
  }

  @Test
  void systemStats_everyModelTogether() {
    monitor.record(TestCalls.at(T0).model(MODEL_A).latencyMillis(100).cost(0.25).build());
    monitor.record(TestCalls.at(T0).model(MODEL_B).latencyMillis(300).cost(0.5).build());
    monitor.record(TestCalls.at(T0).model(MODEL_C).failed(ErrorClass.UNAVAILABLE).build());

    ModelStats stats = monitor.systemStats(ONE_MINUTE);

    // 3 calls, 2 successes; latencies 100 and 300 ms; cost 0.25 + 0.5 = 0.75
    assertThat(stats.calls()).isEqualTo(3);
    assertThat(stats.successes()).isEqualTo(2);
    assertThat(stats.latency().count()).isEqualTo(2);
    assertThat(stats.latency().minMs()).isCloseTo(100.0, withinPercentage(0.1));
    assertThat(stats.latency().maxMs()).isCloseTo(300.0, withinPercentage(0.1));
    assertThat(stats.costUsd()).isEqualTo(0.75);
    assertThat(stats.errors()).isEqualTo(Map.of(ErrorClass.UNAVAILABLE, 1L));
  }

  @Test
  void callsByTask_countsEachTaskInTheWindow() {
    monitor.record(TestCalls.at(T0).task(TaskType.THERAPEUTIC_RESPONSE).build());
    time.advance(Duration.ofSeconds(30));
    Instant later = T0.plusSeconds(30);
    monitor.record(TestCalls.at(later).task(TaskType.DIALOGUE_GENERATION).build());
    monitor.record(TestCalls.at(later).model(MODEL_B).task(TaskType.DIALOGUE_GENERATION).build());
    monitor.record(
        TestCalls.at(later).task(TaskType.DIALOGUE_GENERATION).failed(ErrorClass.TIMEOUT).build());

    // failures count as calls too: dialogue 3 (two models), therapeutic 1
    assertThat(monitor.callsByTask(ONE_MINUTE))
        .isEqualTo(Map.of(TaskType.DIALOGUE_GENERATION, 3L, TaskType.THERAPEUTIC_RESPONSE, 1L));

    time.advance(Duration.ofSeconds(30));
    // T0 + 60 s: the therapeutic call (bucket T0) has left the minute
    assertThat(monitor.callsByTask(ONE_MINUTE)).isEqualTo(Map.of(TaskType.DIALOGUE_GENERATION, 3L));
    assertThat(monitor.callsByTask(ONE_HOUR)).containsEntry(TaskType.THERAPEUTIC_RESPONSE, 1L);
  }

  @Test
  void callsByTask_nothingRecorded_empty() {
    assertThat(monitor.callsByTask(ONE_DAY)).isEmpty();
  }

  @Test
  void providerStats_mergesTheModelsOfEachProvider() {
    monitor.record(TestCalls.at(T0).model(MODEL_A).latencyMillis(100).tokens(10, 5).build());
    monitor.record(
        TestCalls.at(T0).model(MODEL_B).latencyMillis(300).timeToFirstTokenMillis(80).build());
    monitor.record(TestCalls.at(T0).model(MODEL_C).failed(ErrorClass.TIMEOUT).build());

    Map<ProviderId, ModelStats> byProvider = monitor.providerStats(ONE_MINUTE);

    assertThat(byProvider.keySet())
        .containsExactly(ProviderId.of("ollama"), ProviderId.of("openrouter"));
    ModelStats ollama = byProvider.get(ProviderId.of("ollama"));
    // ollama: A (100 ms) and B (300 ms); prompt tokens 10; B streamed (80 ms)
    assertThat(ollama.calls()).isEqualTo(2);
    assertThat(ollama.latency().count()).isEqualTo(2);
    assertThat(ollama.latency().minMs()).isCloseTo(100.0, withinPercentage(0.1));
    assertThat(ollama.latency().maxMs()).isCloseTo(300.0, withinPercentage(0.1));
    assertThat(ollama.timeToFirstToken().count()).isEqualTo(1);
    assertThat(ollama.promptTokens()).isEqualTo(10);
    ModelStats openrouter = byProvider.get(ProviderId.of("openrouter"));
    assertThat(openrouter.calls()).isEqualTo(1);
    assertThat(openrouter.successRate()).isZero();
    assertThat(openrouter.latency()).isEqualTo(DurationStats.EMPTY);
  }

  @Test
  void providerStats_providerWithoutCallsInTheWindow_leftOut() {
    monitor.record(TestCalls.at(T0).model(MODEL_C).build());
    time.advance(Duration.ofSeconds(60));
    monitor.record(TestCalls.at(T0.plusSeconds(60)).model(MODEL_A).build());

    assertThat(monitor.providerStats(ONE_MINUTE)).containsOnlyKeys(ProviderId.of("ollama"));
    assertThat(monitor.providerStats(ONE_HOUR)).hasSize(2);
  }

  // --- bounded memory ---

  @Test
  void record_beyondMaxTrackedModels_evictsTheLeastRecentlyRecorded() {
    SimpleMeterRegistry smallRegistry = new SimpleMeterRegistry();
    PerformanceMonitor small =
        new PerformanceMonitor(
            time, MonitorConfig.builder().maxTrackedModels(2).build(), smallRegistry);
    small.record(TestCalls.at(T0).model(MODEL_A).build());
    small.record(TestCalls.at(T0).model(MODEL_B).build());
    small.record(TestCalls.at(T0).model(MODEL_A).build());

    // A was recorded after B, so B is the least recently recorded when C arrives
    small.record(TestCalls.at(T0).model(MODEL_C).build());

    assertThat(small.trackedModels()).containsExactly(MODEL_A, MODEL_C);
    assertThat(small.modelStats(MODEL_B, ONE_MINUTE)).isEmpty();
    assertThat(small.modelStats(MODEL_A, ONE_MINUTE).map(ModelStats::calls)).contains(2L);
    // the evicted model's calls stay in the system's, leave its provider's
    assertThat(small.systemStats(ONE_MINUTE).calls()).isEqualTo(4);
    assertThat(small.providerStats(ONE_MINUTE).get(ProviderId.of("ollama")).calls()).isEqualTo(2);
    assertThat(
            smallRegistry
                .find(PerformanceMonitor.CALLS)
                .tag("gen_ai.request.model", "qwen2.5")
                .meters())
        .isEmpty();
    assertThat(smallRegistry.get(PerformanceMonitor.EVICTED_MODELS).counter().count())
        .isEqualTo(1.0);
    assertThat(smallRegistry.get(PerformanceMonitor.TRACKED_MODELS).gauge().value()).isEqualTo(2.0);
  }

  @Test
  void record_evictedModelReturns_startsAfreshAndEvictsTheNextLeastRecent() {
    SimpleMeterRegistry smallRegistry = new SimpleMeterRegistry();
    PerformanceMonitor small =
        new PerformanceMonitor(
            time, MonitorConfig.builder().maxTrackedModels(2).build(), smallRegistry);
    small.record(TestCalls.at(T0).model(MODEL_A).build());
    small.record(TestCalls.at(T0).model(MODEL_B).build());
    small.record(TestCalls.at(T0).model(MODEL_C).build()); // evicts A

    small.record(TestCalls.at(T0).model(MODEL_A).build()); // evicts B

    assertThat(small.trackedModels()).containsExactly(MODEL_A, MODEL_C);
    assertThat(small.modelStats(MODEL_A, ONE_MINUTE).map(ModelStats::calls)).contains(1L);
    assertThat(smallRegistry.get(PerformanceMonitor.EVICTED_MODELS).counter().count())
        .isEqualTo(2.0);
  }

  @Test
  void record_withinMaxTrackedModels_evictsNothing() {
    SimpleMeterRegistry smallRegistry = new SimpleMeterRegistry();
    PerformanceMonitor small =
        new PerformanceMonitor(
            time, MonitorConfig.builder().maxTrackedModels(2).build(), smallRegistry);
    small.record(TestCalls.at(T0).model(MODEL_A).build());
    small.record(TestCalls.at(T0).model(MODEL_B).build());

    assertThat(small.trackedModels()).containsExactly(MODEL_A, MODEL_B);
    assertThat(smallRegistry.get(PerformanceMonitor.EVICTED_MODELS).counter().count()).isZero();
  }

  @Test
  void histogramFootprintBytes_growsWithCallsAndReturnsToZeroWhenTheyExpire() {
    assertThat(monitor.histogramFootprintBytes()).isZero();

    monitor.record(TestCalls.at(T0).latencyMillis(100).build());
    long oneCall = monitor.histogramFootprintBytes();
    // one latency, no time to first token: for the model and the system series, in each of the 3
    // windows, a plain merge histogram of 172,544 bytes and a packed bucket histogram of a few
    // hundred: 6 x 172,544 = 1,035,264 plus 6 x (100 .. 2,000)
    assertThat(oneCall).isBetween(1_035_264L + 6 * 100, 1_035_264L + 6 * 2_000);

    time.advance(Duration.ofDays(1));
    assertThat(monitor.histogramFootprintBytes()).isZero();
  }

  @Test
  void histogramFootprintBytes_aModelCalledEvery5SecondsForAnHour_withinTheDocumentedBound() {
    Instant at = T0;
    for (int i = 0; i < 720; i++) {
      // 1 h / 5 s = 720 calls, latencies spread over 100 ms .. 10 s, first tokens 10..99 ms
      monitor.record(
          TestCalls.at(at)
              .latencyMillis(100 + (i * 7_919L) % 9_900)
              .timeToFirstTokenMillis(10 + (i * 104_729L) % 90)
              .build());
      time.advance(Duration.ofSeconds(5));
      at = at.plusSeconds(5);
    }

    // the minute, hour and day merges of the model and the system series hold values: 2 series x
    // 3 windows x 2 plain histograms of 172,544 bytes = 2,070,528 bytes; the buckets add the
    // packed histograms, a few hundred bytes to a few KB each (docs/features/monitoring.md)
    assertThat(monitor.histogramFootprintBytes()).isBetween(2_070_528L, 2_070_528L + 500_000L);
  }

  // --- meters ---

  @Test
  void meters_successfulCall_durationTokensTimeToFirstTokenCallsAndCost() {
    monitor.record(
        TestCalls.at(T0)
            .latencyMillis(200)
            .timeToFirstTokenMillis(50)
            .tokens(10, 20)
            .cost(0.01)
            .build());

    var duration =
        registry
            .get(PerformanceMonitor.OPERATION_DURATION)
            .tag("gen_ai.provider.name", "ollama")
            .tag("gen_ai.request.model", "llama3.2")
            .tag("gen_ai.operation.name", "chat")
            .tag("error.type", "")
            .timer();
    assertThat(duration.count()).isEqualTo(1);
    assertThat(duration.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(200.0);
    assertThat(
            registry
                .get(PerformanceMonitor.TIME_TO_FIRST_TOKEN)
                .tag("gen_ai.request.model", "llama3.2")
                .timer()
                .totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(50.0);
    assertThat(
            registry
                .get(PerformanceMonitor.TOKEN_USAGE)
                .tag("gen_ai.token.type", "input")
                .summary()
                .totalAmount())
        .isEqualTo(10.0);
    assertThat(
            registry
                .get(PerformanceMonitor.TOKEN_USAGE)
                .tag("gen_ai.token.type", "output")
                .summary()
                .totalAmount())
        .isEqualTo(20.0);
    assertThat(registry.get(PerformanceMonitor.CALLS).tag("outcome", "success").counter().count())
        .isEqualTo(1.0);
    assertThat(registry.get(PerformanceMonitor.COST).counter().count()).isEqualTo(0.01);
  }

  @Test
  void meters_failedCall_durationTaggedWithErrorTypeAndOutcome() {
    monitor.record(TestCalls.at(T0).latencyMillis(30).failed(ErrorClass.RATE_LIMITED).build());
    monitor.record(TestCalls.at(T0).latencyMillis(50).failed(ErrorClass.RATE_LIMITED).build());

    var failed =
        registry
            .get(PerformanceMonitor.OPERATION_DURATION)
            .tag("error.type", "rate_limited")
            .timer();
    // 30 + 50 = 80 ms over 2 calls
    assertThat(failed.count()).isEqualTo(2);
    assertThat(failed.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(80.0);
    assertThat(
            registry
                .get(PerformanceMonitor.OPERATION_DURATION)
                .tag("error.type", "")
                .timer()
                .count())
        .isZero();
    assertThat(
            registry.get(PerformanceMonitor.CALLS).tag("outcome", "rate_limited").counter().count())
        .isEqualTo(2.0);
    // failures carry no token usage
    assertThat(registry.get(PerformanceMonitor.TOKEN_USAGE).summaries())
        .allSatisfy(summary -> assertThat(summary.count()).isZero());
    assertThat(registry.find(PerformanceMonitor.CALLS).tag("outcome", "timeout").meters())
        .isEmpty();
  }

  @Test
  void meters_noStreamedCall_timeToFirstTokenEmpty() {
    monitor.record(TestCalls.at(T0).latencyMillis(200).build());

    assertThat(registry.get(PerformanceMonitor.TIME_TO_FIRST_TOKEN).timer().count()).isZero();
  }

  // --- calls restored from a history ---

  @Test
  void restore_feedsTheWindowsLikeRecord_butNoMeter() {
    monitor.restore(TestCalls.at(T0).latencyMillis(40).tokens(10, 20).cost(0.01).build());
    monitor.record(TestCalls.at(T0).latencyMillis(60).build());

    // both calls in the windows: (40 + 60) / 2 = 50 ms, 0.01 USD
    ModelStats stats = statsA(ONE_MINUTE);
    assertThat(stats.calls()).isEqualTo(2);
    assertThat(stats.latency().meanMs()).isCloseTo(50.0, withinPercentage(0.1));
    assertThat(stats.costUsd()).isEqualTo(0.01);
    assertThat(monitor.systemStats(ONE_MINUTE).calls()).isEqualTo(2);
    // the meters count only the call this process made: one, 60 ms, nothing spent
    assertThat(registry.get(PerformanceMonitor.CALLS).tag("outcome", "success").counter().count())
        .isEqualTo(1.0);
    var duration = registry.get(PerformanceMonitor.OPERATION_DURATION).timer();
    assertThat(duration.count()).isEqualTo(1);
    assertThat(duration.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(60.0);
    assertThat(registry.get(PerformanceMonitor.COST).counter().count()).isZero();
  }

  @Test
  void restore_aCallOlderThanAWindow_isLeftOutOfIt() {
    time.advance(Duration.ofMinutes(2));

    monitor.restore(TestCalls.at(T0).latencyMillis(40).build());

    // two minutes old: outside the minute, inside the hour and the day
    assertThat(callsA(ONE_MINUTE)).isZero();
    assertThat(callsA(ONE_HOUR)).isEqualTo(1);
    assertThat(callsA(ONE_DAY)).isEqualTo(1);
  }

  @Test
  void restore_withoutACall_isRejected() {
    assertThatThrownBy(() -> monitor.restore(null)).hasMessage("call: is required");
  }

  // --- threads and arguments ---

  @Test
  void record_fromSeveralThreads_countsEveryCall() throws Exception {
    int threads = 4;
    int callsPerThread = 500;
    List<ModelKey> models = List.of(MODEL_A, MODEL_B, MODEL_C, ModelKey.of("lmstudio", "phi"));
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<Void>> tasks = new ArrayList<>();
      for (ModelKey model : models) {
        tasks.add(
            () -> {
              start.await();
              for (int i = 0; i < callsPerThread; i++) {
                monitor.record(TestCalls.at(T0).model(model).latencyMillis(1 + i).build());
              }
              return null;
            });
      }
      List<Future<Void>> done = new ArrayList<>();
      tasks.forEach(task -> done.add(pool.submit(task)));
      start.countDown();
      for (Future<Void> future : done) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    // 4 threads x 500 = 2,000 calls, 500 per model
    assertThat(monitor.systemStats(ONE_MINUTE).calls()).isEqualTo(2_000);
    assertThat(monitor.systemStats(ONE_MINUTE).latency().count()).isEqualTo(2_000);
    assertThat(monitor.allModelStats(ONE_MINUTE).values())
        .allSatisfy(stats -> assertThat(stats.calls()).isEqualTo(500));
  }

  @Test
  void reads_releaseTheirLocks_soAnotherThreadCanRecord() throws Exception {
    monitor.record(TestCalls.at(T0).build());
    monitor.modelStats(MODEL_A, ONE_MINUTE);
    monitor.allModelStats(ONE_HOUR);
    monitor.systemStats(ONE_MINUTE);
    monitor.callsByTask(ONE_MINUTE);
    monitor.providerStats(ONE_MINUTE);
    monitor.histogramFootprintBytes();

    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      // a lock this thread kept would block the other thread's record until the timeout (2 s:
      // the record takes microseconds, and a lock kept fails the test before PIT's own timeout)
      other.submit(() -> monitor.record(TestCalls.at(T0).build())).get(2, TimeUnit.SECONDS);
    } finally {
      other.shutdownNow();
    }
    assertThat(callsA(ONE_MINUTE)).isEqualTo(2);
  }

  @Test
  void arguments_missing_rejectedWithTheirName() {
    assertThatThrownBy(() -> monitor.record(null)).hasMessage("call: is required");
    assertThatThrownBy(() -> monitor.modelStats(null, ONE_MINUTE)).hasMessage("model: is required");
    assertThatThrownBy(() -> monitor.modelStats(MODEL_A, null)).hasMessage("window: is required");
    assertThatThrownBy(() -> monitor.allModelStats(null)).hasMessage("window: is required");
    assertThatThrownBy(() -> monitor.systemStats(null)).hasMessage("window: is required");
    assertThatThrownBy(() -> monitor.callsByTask(null)).hasMessage("window: is required");
    assertThatThrownBy(() -> monitor.providerStats(null)).hasMessage("window: is required");
    assertThatThrownBy(() -> new PerformanceMonitor(null)).hasMessage("time: is required");
    assertThatThrownBy(() -> new PerformanceMonitor(time, null, registry))
        .hasMessage("config: is required");
    assertThatThrownBy(() -> new PerformanceMonitor(time, MonitorConfig.defaults(), null))
        .hasMessage("registry: is required");
  }

  @Test
  void config_defaultConstructor_usesDefaults() {
    assertThat(new PerformanceMonitor(time).config()).isEqualTo(MonitorConfig.defaults());
  }
}
