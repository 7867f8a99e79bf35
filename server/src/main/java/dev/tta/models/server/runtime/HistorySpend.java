package dev.tta.models.server.runtime;

import dev.tta.models.history.CallHistory;
import dev.tta.models.history.KeyUsage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Spend per key read from the history, so that every replica sharing one database shows the same
 * figures.
 */
final class HistorySpend implements SpendSource {

  private final CallHistory history;
  private final InstantSource clock;

  HistorySpend(CallHistory history) {
    this(history, InstantSource.system());
  }

  HistorySpend(CallHistory history, InstantSource clock) {
    this.history = history;
    this.clock = clock;
  }

  @Override
  public List<KeySpend> spendByKey(Duration window) {
    Instant now = clock.instant();
    return history.usageByClient(now.minus(window), now).entrySet().stream()
        .map(HistorySpend::keySpend)
        .sorted(
            Comparator.comparingDouble(KeySpend::costUsd).reversed().thenComparing(KeySpend::key))
        .toList();
  }

  private static KeySpend keySpend(Map.Entry<String, KeyUsage> entry) {
    KeyUsage usage = entry.getValue();
    return new KeySpend(
        entry.getKey(),
        usage.requests(),
        usage.promptTokens(),
        usage.completionTokens(),
        usage.costUsd());
  }
}
