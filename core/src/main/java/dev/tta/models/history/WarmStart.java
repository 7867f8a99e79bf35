package dev.tta.models.history;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.fallback.FailureRegistry;
import dev.tta.models.fallback.ModelCircuitBreakers;
import dev.tta.models.internal.Checks;
import dev.tta.models.monitoring.CallRecord;
import dev.tta.models.monitoring.PerformanceMonitor;
import dev.tta.models.monitoring.TimeWindow;
import dev.tta.models.provider.ErrorClass;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Brings a new process up to what its history knows, so that selection after a restart still knows
 * which model is slow or failing: the monitor's windows get the calls of the last day, the failure
 * registry gets the failures and successes within its retention (and the providers taken out for a
 * refused key), replayed in order with the resets made by hand between them, and a model excluded
 * by those failures has its circuit held open, as the router would have done.
 */
public final class WarmStart {

  /**
   * What was restored.
   *
   * @param calls calls given to the monitor and the registry
   * @param resets resets replayed
   * @param excluded models excluded after the replay, their circuits held open
   */
  public record Restored(long calls, long resets, Set<ModelKey> excluded) {}

  /** The reason a provider is out after a restart, when it was taken out for a refused key. */
  public static final String REFUSED_KEY = "authentication failed (recorded before the restart)";

  private WarmStart() {}

  /**
   * Replays the history from {@code now} less the longer of a day (the monitor's longest window)
   * and {@code failureRetention}.
   */
  public static Restored restore(
      CallHistory history,
      Instant now,
      Duration failureRetention,
      PerformanceMonitor monitor,
      FailureRegistry failures,
      ModelCircuitBreakers breakers) {
    Checks.notNull(history, "history");
    Duration day = TimeWindow.ONE_DAY.bucketWidth().multipliedBy(TimeWindow.ONE_DAY.bucketCount());
    Duration back = failureRetention.compareTo(day) > 0 ? failureRetention : day;
    Instant monitorSince = now.minus(day);
    long[] counts = new long[2];
    Set<ModelKey> seen = new HashSet<>();
    history.replay(
        now.minus(back),
        entry -> {
          switch (entry) {
            case HistoryEntry.Call call -> {
              counts[0]++;
              CallRecord record = call.call();
              seen.add(record.model());
              if (!record.finishedAt().isBefore(monitorSince)) {
                monitor.restore(record);
              }
              replay(record, failures);
            }
            case HistoryEntry.ModelReset reset -> {
              counts[1]++;
              failures.resetModel(reset.model());
            }
            case HistoryEntry.ProviderReset reset -> {
              counts[1]++;
              failures.resetProvider(reset.provider());
              seen.stream()
                  .filter(model -> model.provider().equals(reset.provider()))
                  .forEach(failures::resetModel);
            }
          }
        });
    failures.cleanUp(now);
    Set<ModelKey> excluded = failures.excludedModels(now);
    excluded.forEach(breakers::holdOpen);
    return new Restored(counts[0], counts[1], excluded);
  }

  private static void replay(CallRecord record, FailureRegistry failures) {
    if (record.succeeded()) {
      failures.recordSuccess(record.model(), record.finishedAt());
      return;
    }
    ErrorClass error = record.error().orElseThrow();
    failures.recordFailure(record.model(), error, record.finishedAt());
    if (error == ErrorClass.AUTHENTICATION) {
      failures.markProviderOut(record.model().provider(), REFUSED_KEY, record.finishedAt());
    }
  }
}
