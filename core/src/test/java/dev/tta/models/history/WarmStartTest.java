package dev.tta.models.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.fallback.CircuitBreakerSettings;
import dev.tta.models.fallback.CircuitState;
import dev.tta.models.fallback.FallbackConfig;
import dev.tta.models.fallback.InMemoryFailureRegistry;
import dev.tta.models.fallback.ModelCircuitBreakers;
import dev.tta.models.monitoring.CallRecord;
import dev.tta.models.monitoring.ModelStats;
import dev.tta.models.monitoring.MonitorConfig;
import dev.tta.models.monitoring.PerformanceMonitor;
import dev.tta.models.monitoring.TimeWindow;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.routing.RequestOrigin;
import dev.tta.models.time.ManualTimeSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class WarmStartTest {

  private static final Instant NOW = Instant.parse("2026-05-10T12:00:00Z");
  private static final ModelKey BEST = ModelKey.of("cloud", "best");
  private static final ModelKey CHEAP = ModelKey.of("cloud", "cheap");
  private static final ModelKey SMALL = ModelKey.of("local", "small");
  private static final Duration DAY = Duration.ofHours(24);

  /** Entries in the order a store gives them back, and the {@code since} it was asked for. */
  private static final class ListHistory implements CallHistory {
    final List<HistoryEntry> entries = new ArrayList<>();
    final List<Instant> askedSince = new ArrayList<>();

    ListHistory(HistoryEntry... entries) {
      this.entries.addAll(List.of(entries));
    }

    @Override
    public void replay(Instant since, Consumer<HistoryEntry> sink) {
      askedSince.add(since);
      entries.stream().filter(e -> !e.at().isBefore(since)).forEach(sink);
    }

    @Override
    public void append(HistoryEntry entry) {
      throw new AssertionError("a warm start only reads");
    }

    @Override
    public boolean awaitWritten(Duration max) {
      return true;
    }

    @Override
    public String description() {
      return "list";
    }

    @Override
    public double spent(String client, Instant from, Instant to) {
      return 0;
    }

    @Override
    public Map<String, Double> spentByClient(Instant from, Instant to) {
      return Map.of();
    }

    @Override
    public Map<String, KeyUsage> usageByClient(Instant from, Instant to) {
      return Map.of();
    }

    @Override
    public void close() {}
  }

  private final ManualTimeSource time = new ManualTimeSource(NOW);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final PerformanceMonitor monitor =
      new PerformanceMonitor(time, MonitorConfig.defaults(), registry);
  private final InMemoryFailureRegistry failures =
      new InMemoryFailureRegistry(FallbackConfig.defaults());

  /** A circuit held open waits 60 s for its probe. */
  private final ModelCircuitBreakers breakers =
      new ModelCircuitBreakers(
          CircuitBreakerSettings.builder().waitInOpenState(Duration.ofSeconds(60)).build(), time);

  private static HistoryEntry.Call ok(ModelKey model, Instant at, long millis) {
    return new HistoryEntry.Call(
        CallRecord.success(
            model,
            TaskType.GENERAL_CHAT,
            at,
            Duration.ofMillis(millis),
            Optional.empty(),
            10,
            20,
            0),
        1,
        RequestOrigin.UNNAMED);
  }

  private static HistoryEntry.Call failed(ModelKey model, Instant at, ErrorClass error) {
    return new HistoryEntry.Call(
        CallRecord.failure(model, TaskType.GENERAL_CHAT, at, Duration.ofMillis(5), error),
        1,
        RequestOrigin.UNNAMED);
  }

  private static Instant ago(Duration duration) {
    return NOW.minus(duration);
  }

  private WarmStart.Restored restore(CallHistory history, Duration failureRetention) {
    return WarmStart.restore(history, NOW, failureRetention, monitor, failures, breakers);
  }

  private long calls(ModelKey model, TimeWindow window) {
    return monitor.modelStats(model, window).map(ModelStats::calls).orElse(0L);
  }

  @Test
  void theLastDaysCalls_feedTheMonitorsWindows_byWhenTheyFinished() {
    ListHistory history =
        new ListHistory(
            // the day window is 24 hour buckets, the present one 12:00-13:00: 13:00 yesterday
            // starts the oldest
            ok(BEST, ago(Duration.ofHours(23)), 300),
            ok(BEST, ago(Duration.ofHours(2)), 200),
            ok(BEST, ago(Duration.ofMinutes(10)), 100),
            failed(BEST, ago(Duration.ofSeconds(30)), ErrorClass.TIMEOUT));

    WarmStart.Restored restored = restore(history, DAY);

    assertThat(restored.calls()).isEqualTo(4);
    assertThat(calls(BEST, TimeWindow.ONE_DAY)).isEqualTo(4);
    assertThat(calls(BEST, TimeWindow.ONE_HOUR)).isEqualTo(2); // 10 min and 30 s ago
    assertThat(calls(BEST, TimeWindow.ONE_MINUTE)).isEqualTo(1); // 30 s ago
    assertThat(monitor.modelStats(BEST, TimeWindow.ONE_DAY).orElseThrow().successes()).isEqualTo(3);
    // restored, not measured by this process: no meter counts them
    assertThat(registry.find(PerformanceMonitor.CALLS).counters())
        .allSatisfy(counter -> assertThat(counter.count()).isZero());
  }

  @Test
  void theHistoryIsReadFromADayBack_orFromTheFailureRetention_whicheverIsLonger() {
    ListHistory history = new ListHistory();

    restore(history, DAY);
    restore(history, Duration.ofHours(48));
    restore(history, Duration.ofHours(1));

    assertThat(history.askedSince).containsExactly(ago(DAY), ago(Duration.ofHours(48)), ago(DAY));
  }

  @Test
  void aCallOlderThanADay_withinALongerFailureRetention_reachesTheRegistry_notTheMonitor() {
    ListHistory history =
        new ListHistory(failed(SMALL, ago(Duration.ofHours(30)), ErrorClass.UNAVAILABLE));

    WarmStart.Restored restored = restore(history, Duration.ofHours(48));

    assertThat(restored.calls()).isEqualTo(1);
    assertThat(monitor.modelStats(SMALL, TimeWindow.ONE_DAY)).isEmpty();
  }

  @Test
  void threeFailuresWithinTheExclusionWindow_excludeTheModel_andHoldItsCircuitOpen() {
    // the defaults: 3 failures within 30 minutes exclude
    ListHistory history =
        new ListHistory(
            failed(BEST, ago(Duration.ofMinutes(20)), ErrorClass.UNAVAILABLE),
            failed(BEST, ago(Duration.ofMinutes(15)), ErrorClass.UNAVAILABLE),
            failed(BEST, ago(Duration.ofMinutes(10)), ErrorClass.TIMEOUT),
            failed(SMALL, ago(Duration.ofMinutes(5)), ErrorClass.UNAVAILABLE));

    WarmStart.Restored restored = restore(history, DAY);

    assertThat(restored.excluded()).containsExactly(BEST);
    assertThat(failures.isExcluded(BEST, NOW)).isTrue();
    assertThat(breakers.state(BEST)).isEqualTo(CircuitState.OPEN);
    // held open now, so its probe goes through 60 s from now
    assertThat(breakers.probeAfter(BEST)).contains(NOW.plusSeconds(60));
    assertThat(breakers.state(SMALL)).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void failuresOlderThanTheExclusionWindow_doNotExclude() {
    ListHistory history =
        new ListHistory(
            failed(BEST, ago(Duration.ofMinutes(40)), ErrorClass.UNAVAILABLE),
            failed(BEST, ago(Duration.ofMinutes(35)), ErrorClass.UNAVAILABLE),
            failed(BEST, ago(Duration.ofMinutes(10)), ErrorClass.UNAVAILABLE));

    assertThat(restore(history, DAY).excluded()).isEmpty();
    assertThat(breakers.state(BEST)).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aSuccessAfterTheFailures_orAResetByHand_undoesTheExclusion_inHistoryOrder() {
    ListHistory history =
        new ListHistory(
            new HistoryEntry.ModelReset(SMALL, ago(Duration.ofMinutes(25))),
            failed(BEST, ago(Duration.ofMinutes(20)), ErrorClass.UNAVAILABLE),
            failed(BEST, ago(Duration.ofMinutes(15)), ErrorClass.UNAVAILABLE),
            failed(BEST, ago(Duration.ofMinutes(14)), ErrorClass.UNAVAILABLE),
            ok(BEST, ago(Duration.ofMinutes(12)), 100),
            failed(CHEAP, ago(Duration.ofMinutes(20)), ErrorClass.UNAVAILABLE),
            failed(CHEAP, ago(Duration.ofMinutes(15)), ErrorClass.UNAVAILABLE),
            failed(CHEAP, ago(Duration.ofMinutes(14)), ErrorClass.UNAVAILABLE),
            new HistoryEntry.ModelReset(CHEAP, ago(Duration.ofMinutes(12))),
            // reset before its failures: they still count
            failed(SMALL, ago(Duration.ofMinutes(20)), ErrorClass.UNAVAILABLE),
            failed(SMALL, ago(Duration.ofMinutes(15)), ErrorClass.UNAVAILABLE),
            failed(SMALL, ago(Duration.ofMinutes(14)), ErrorClass.UNAVAILABLE));

    WarmStart.Restored restored = restore(history, DAY);

    assertThat(restored.calls()).isEqualTo(10);
    assertThat(restored.resets()).isEqualTo(2);
    assertThat(restored.excluded()).containsExactly(SMALL);
  }

  @Test
  void aRefusedKey_takesItsProviderOutUntilItsRecheck() {
    // the recheck comes 5 minutes after the refusal
    ListHistory recent =
        new ListHistory(failed(BEST, ago(Duration.ofMinutes(2)), ErrorClass.AUTHENTICATION));

    restore(recent, DAY);

    assertThat(failures.providersOut(NOW)).containsOnlyKeys(ProviderId.of("cloud"));
    assertThat(failures.providersOut(NOW).get(ProviderId.of("cloud")))
        .startsWith(WarmStart.REFUSED_KEY);
  }

  @Test
  void aRefusalOlderThanItsRecheck_isCleanedUp() {
    ListHistory old =
        new ListHistory(failed(BEST, ago(Duration.ofMinutes(6)), ErrorClass.AUTHENTICATION));

    restore(old, DAY);

    assertThat(failures.providersOut(NOW)).isEmpty();
  }

  @Test
  void aProviderResetByHand_bringsItBack_withItsModelsFailuresForgotten() {
    ListHistory history =
        new ListHistory(
            failed(BEST, ago(Duration.ofMinutes(4)), ErrorClass.AUTHENTICATION),
            failed(BEST, ago(Duration.ofMinutes(3)), ErrorClass.UNAVAILABLE),
            failed(BEST, ago(Duration.ofMinutes(3)), ErrorClass.UNAVAILABLE),
            failed(BEST, ago(Duration.ofMinutes(3)), ErrorClass.UNAVAILABLE),
            failed(SMALL, ago(Duration.ofMinutes(3)), ErrorClass.UNAVAILABLE),
            failed(SMALL, ago(Duration.ofMinutes(3)), ErrorClass.UNAVAILABLE),
            failed(SMALL, ago(Duration.ofMinutes(3)), ErrorClass.UNAVAILABLE),
            new HistoryEntry.ProviderReset(ProviderId.of("cloud"), ago(Duration.ofMinutes(1))));

    WarmStart.Restored restored = restore(history, DAY);

    assertThat(failures.providersOut(NOW)).isEmpty();
    // cloud's model is forgiven with its provider; the local model is not
    assertThat(restored.excluded()).isEqualTo(Set.of(SMALL));
    assertThat(restored.resets()).isEqualTo(1);
  }
}
