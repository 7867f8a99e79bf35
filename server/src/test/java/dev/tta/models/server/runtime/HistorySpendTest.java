package dev.tta.models.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.history.CallHistory;
import dev.tta.models.history.HistoryEntry;
import dev.tta.models.history.KeyUsage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The dashboard's spend per key, read from the history over the window that ends now. */
class HistorySpendTest {

  private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");

  /** A history that answers usage with fixed figures and records the window it was asked for. */
  private static final class UsageHistory implements CallHistory {
    final List<Instant> asked = new ArrayList<>();

    @Override
    public Map<String, KeyUsage> usageByClient(Instant from, Instant to) {
      asked.add(from);
      asked.add(to);
      return Map.of(
          "team-a", new KeyUsage(3, 100, 40, 0.5),
          "team-b", new KeyUsage(1, 10, 4, 2.25),
          "ci", new KeyUsage(7, 70, 28, 0.5));
    }

    @Override
    public void append(HistoryEntry entry) {}

    @Override
    public boolean awaitWritten(Duration max) {
      return true;
    }

    @Override
    public void replay(Instant since, Consumer<HistoryEntry> sink) {}

    @Override
    public String description() {
      return "fixed figures";
    }

    @Override
    public void close() {}

    @Override
    public double spent(String client, Instant from, Instant to) {
      return 0;
    }

    @Override
    public Map<String, Double> spentByClient(Instant from, Instant to) {
      return Map.of();
    }
  }

  @Test
  void spendByKey_isTheLastWindowsUsage_theLargestCostFirst_tiesByName() {
    UsageHistory history = new UsageHistory();

    List<SpendSource.KeySpend> spend =
        new HistorySpend(history, InstantSource.fixed(NOW)).spendByKey(Duration.ofHours(24));

    assertThat(history.asked).containsExactly(Instant.parse("2026-12-04T08:00:00Z"), NOW);
    assertThat(spend)
        .containsExactly(
            new SpendSource.KeySpend("team-b", 1, 10, 4, 2.25),
            new SpendSource.KeySpend("ci", 7, 70, 28, 0.5),
            new SpendSource.KeySpend("team-a", 3, 100, 40, 0.5));
  }
}
