package dev.tta.models.history;

import dev.tta.models.internal.Checks;
import dev.tta.models.state.RoutingState;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Enforces each API key's budget before its calls: what a key spent in its budget's current period
 * is a counter in the {@link RoutingState} (so replicas share it), seeded from the {@link
 * SpendLedger} when first counted, and grown by every call's cost as it is recorded.
 */
public final class Budgets {

  /**
   * A key that has spent its budget.
   *
   * @param renewsAt when the period ends and the key may spend again; empty for a total budget
   */
  public record Exceeded(
      String client, Budget budget, double spentUsd, Optional<Instant> renewsAt) {

    /** What the client is told: the budget, what was spent, and when the budget renews. */
    public String message() {
      String limit =
          String.format(
              Locale.ROOT,
              "the budget of key '%s' (%.2f USD %s) is spent: %.4f USD",
              client,
              budget.usd(),
              budget.per() == BudgetPeriod.TOTAL ? "in total" : "per " + budget.per().wireName(),
              spentUsd);
      return renewsAt
          .map(at -> limit + "; it renews at " + at)
          .orElse(limit + "; it is a total budget and does not renew");
    }
  }

  private final Map<String, Budget> budgets;
  private final RoutingState state;
  private final SpendLedger ledger;
  private final InstantSource time;

  /**
   * @param budgets by key name
   */
  public Budgets(
      Map<String, Budget> budgets, RoutingState state, SpendLedger ledger, InstantSource time) {
    this.budgets = Map.copyOf(budgets);
    this.state = Checks.notNull(state, "state");
    this.ledger = Checks.notNull(ledger, "ledger");
    this.time = Checks.notNull(time, "time");
  }

  /** The names of the keys with a budget, sorted. */
  public SortedSet<String> clients() {
    return new TreeSet<>(budgets.keySet());
  }

  /**
   * A key's budget now: what it spent in the current period (as this replica knows it) and when the
   * period ends.
   */
  public record Standing(Budget budget, double spentUsd, Optional<Instant> renewsAt) {
    public double remainingUsd() {
      return Math.max(0, budget.usd() - spentUsd);
    }
  }

  /** The key's budget and spend now; empty for a key without a budget. */
  public Optional<Standing> standing(String client) {
    Budget budget = budgets.get(client);
    if (budget == null) {
      return Optional.empty();
    }
    Instant now = time.instant();
    Counter counter = counter(client, budget, now);
    double spent = state.spend(counter.name(), () -> seedOf(counter), counter.expiresAt());
    return Optional.of(new Standing(budget, spent, budget.per().renewsAt(now)));
  }

  /** Empty when the key may call now; what it spent and when it renews when it may not. */
  public Optional<Exceeded> check(String client) {
    Budget budget = budgets.get(client);
    if (budget == null) {
      return Optional.empty();
    }
    return standing(client)
        .filter(standing -> standing.spentUsd() >= budget.usd())
        .map(s -> new Exceeded(client, budget, s.spentUsd(), s.renewsAt()));
  }

  /** Counts a call's cost against its key's budget, in the period the call finished in. */
  public void spend(String client, double usd, Instant at) {
    Budget budget = budgets.get(client);
    if (budget == null || usd <= 0) {
      return;
    }
    Counter counter = counter(client, budget, at);
    state.addSpend(counter.name(), usd, () -> seedOf(counter), counter.expiresAt());
  }

  private Counter counter(String client, Budget budget, Instant at) {
    Instant start = budget.per().start(at);
    return new Counter(
        "spend:" + client + ":" + budget.per().wireName() + ":" + start,
        client,
        start,
        budget.per().renewsAt(at).orElse(RoutingState.NEVER));
  }

  private record Counter(String name, String client, Instant start, Instant expiresAt) {}

  private double seedOf(Counter counter) {
    return ledger.spent(counter.client(), counter.start(), counter.expiresAt());
  }
}
