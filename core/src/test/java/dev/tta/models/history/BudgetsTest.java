package dev.tta.models.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tta.models.state.RecordingState;
import dev.tta.models.state.RoutingState;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BudgetsTest {

  private static final Instant NOW = Instant.parse("2026-05-10T12:00:00Z");
  private static final Instant MAY = Instant.parse("2026-05-01T00:00:00Z");
  private static final Instant JUNE = Instant.parse("2026-06-01T00:00:00Z");
  private static final String MAY_COUNTER = "spend:team-a:month:2026-05-01T00:00:00Z";

  /**
   * A ledger that says team-a spent 24 USD in May and nothing else, and keeps what it was asked.
   */
  private static final class Ledger implements SpendLedger {
    final List<String> asked = new ArrayList<>();

    @Override
    public double spent(String client, Instant from, Instant to) {
      asked.add(client + " " + from + " " + to);
      return client.equals("team-a") && from.equals(MAY) && to.equals(JUNE) ? 24.0 : 0.0;
    }

    @Override
    public Map<String, Double> spentByClient(Instant from, Instant to) {
      throw new AssertionError("budgets ask for one key at a time");
    }
  }

  private final RecordingState state = new RecordingState();
  private final Ledger ledger = new Ledger();
  private final Budgets budgets =
      new Budgets(
          Map.of(
              "team-a", new Budget(25, BudgetPeriod.MONTH),
              "batch", new Budget(10, BudgetPeriod.TOTAL)),
          state,
          ledger,
          InstantSource.fixed(NOW));

  @Test
  void check_underTheBudget_letsTheKeyCall() {
    // 24 of 25 USD spent in May
    assertThat(budgets.check("team-a")).isEmpty();
    assertThat(budgets.standing("team-a"))
        .hasValueSatisfying(
            s -> {
              assertThat(s.spentUsd()).isEqualTo(24.0);
              assertThat(s.remainingUsd()).isEqualTo(1.0);
              assertThat(s.renewsAt()).contains(JUNE);
            });
  }

  @Test
  void check_exactlyAtTheBudget_refuses_sayingWhatWasSpentAndWhenItRenews() {
    budgets.spend("team-a", 0.5, NOW);
    assertThat(budgets.check("team-a")).isEmpty(); // 24.5 < 25

    budgets.spend("team-a", 0.5, NOW);

    // 24 + 0.5 + 0.5 = 25.0, which is the budget: refused
    Budgets.Exceeded exceeded = budgets.check("team-a").orElseThrow();
    assertThat(exceeded.spentUsd()).isEqualTo(25.0);
    assertThat(exceeded.renewsAt()).contains(JUNE);
    assertThat(exceeded.message())
        .isEqualTo(
            "the budget of key 'team-a' (25.00 USD per month) is spent: 25.0000 USD;"
                + " it renews at 2026-06-01T00:00:00Z");
  }

  @Test
  void standing_overTheBudget_hasNothingRemaining() {
    budgets.spend("team-a", 1.75, NOW);

    // 24 + 1.75 = 25.75 > 25: nothing left, not -0.75
    Budgets.Standing standing = budgets.standing("team-a").orElseThrow();
    assertThat(standing.spentUsd()).isEqualTo(25.75);
    assertThat(standing.remainingUsd()).isZero();
    assertThat(budgets.check("team-a")).isPresent();
  }

  @Test
  void theCounter_isSeededOnceFromTheLedger_overThePeriod_andExpiresWithIt() {
    budgets.check("team-a");
    budgets.spend("team-a", 0.25, NOW);
    budgets.check("team-a");

    assertThat(ledger.asked).containsExactly("team-a " + MAY + " " + JUNE);
    assertThat(state.seeded).containsExactly(MAY_COUNTER);
    assertThat(state.expiries).containsEntry(MAY_COUNTER, JUNE);
    assertThat(state.counters.get(MAY_COUNTER)).isCloseTo(24.25, within(1e-12));
  }

  @Test
  void aCostFinishedInThePreviousPeriod_countsThere_notNow() {
    budgets.spend("team-a", 2.0, Instant.parse("2026-04-30T23:59:59.999Z"));

    assertThat(state.counters)
        .containsEntry("spend:team-a:month:2026-04-01T00:00:00Z", 2.0)
        .doesNotContainKey(MAY_COUNTER);
    assertThat(budgets.standing("team-a").orElseThrow().spentUsd()).isEqualTo(24.0);
  }

  @Test
  void aTotalBudget_isCountedFromTheEpoch_neverExpires_andSaysItDoesNotRenew() {
    budgets.spend("batch", 10.0, NOW);

    String counter = "spend:batch:total:1970-01-01T00:00:00Z";
    assertThat(ledger.asked).containsExactly("batch " + Instant.EPOCH + " " + RoutingState.NEVER);
    assertThat(state.expiries).containsEntry(counter, RoutingState.NEVER);
    Budgets.Exceeded exceeded = budgets.check("batch").orElseThrow();
    assertThat(exceeded.renewsAt()).isEmpty();
    assertThat(exceeded.message())
        .isEqualTo(
            "the budget of key 'batch' (10.00 USD in total) is spent: 10.0000 USD;"
                + " it is a total budget and does not renew");
  }

  @Test
  void aKeyWithoutABudget_isNeverRefused_andCountsNothing() {
    budgets.spend("team-b", 100.0, NOW);

    assertThat(budgets.check("team-b")).isEmpty();
    assertThat(budgets.standing("team-b")).isEmpty();
    assertThat(state.counters).isEmpty();
    assertThat(ledger.asked).isEmpty();
  }

  @Test
  void aCallThatCostNothing_touchesNoCounter() {
    budgets.spend("team-a", 0.0, NOW);

    assertThat(state.counters).isEmpty();
  }

  @Test
  void clients_areTheKeysWithABudget_sorted() {
    assertThat(budgets.clients()).containsExactly("batch", "team-a");
  }

  @Test
  void aBudget_needsMoreThanZeroDollarsAndAPeriod() {
    assertThatThrownBy(() -> new Budget(0, BudgetPeriod.DAY))
        .hasMessage("usd: must be more than 0, was 0.0");
    assertThatThrownBy(() -> new Budget(Double.NaN, BudgetPeriod.DAY))
        .hasMessage("usd: must be more than 0, was NaN");
    assertThatThrownBy(() -> new Budget(1, null)).hasMessage("per: is required");
    assertThat(new Budget(0.01, BudgetPeriod.DAY).usd()).isEqualTo(0.01);
  }

  @Test
  void standing_ofAKeyNamedNowhere_isEmpty() {
    assertThat(budgets.standing("nobody")).isEqualTo(Optional.empty());
  }
}
